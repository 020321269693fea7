package dev.pons.targets.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pons.platform.control.DomainException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetUrlPolicyTest {

    /**
     * Stands in for DNS so no test touches the network: names not listed here do not resolve, and
     * every lookup is recorded.
     */
    static final class FakeDns implements Function<String, InetAddress[]> {

        final Map<String, InetAddress[]> records = new HashMap<>();
        final List<String> lookups = new ArrayList<>();

        FakeDns() {
            map("example.com", ip("93.184.216.34"));
            map("v6.example.com", ip("2606:2800:220:1:248:1893:25c8:1946"));
            map("internal.example", ip("192.168.1.5"));
            map("mixed.example", ip("93.184.216.34"), ip("10.0.0.7"));
            map("loopback.example", ip("127.0.0.1"));
            map("localhost.evil.example", ip("127.0.0.1"));
            map("metadata.example", ip("169.254.169.254"));
            map("ula.example", ip("fd12::1"));
            map("mapped.example", ipv4MappedAsIpv6(10, 0, 0, 1));
            map("mapped-metadata.example", ipv4MappedAsIpv6(169, 254, 169, 254));
            map("linklocal6.example", ip("fe80::2"));
        }

        void map(String host, InetAddress... addresses) {
            records.put(host, addresses);
        }

        @Override
        public InetAddress[] apply(String host) {
            lookups.add(host);
            InetAddress[] addresses = records.get(host);
            if (addresses == null) {
                throw new UncheckedIOException(new UnknownHostException(host));
            }
            return addresses;
        }

        /** Parses an address literal; InetAddress never looks literals up. */
        static InetAddress ip(String literal) {
            try {
                return InetAddress.getByName(literal);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }

        /** getByName would turn ::ffff:a.b.c.d into an Inet4Address; a real resolver may not. */
        static InetAddress ipv4MappedAsIpv6(int a, int b, int c, int d) {
            byte[] bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff,
                    (byte) a, (byte) b, (byte) c, (byte) d};
            try {
                return Inet6Address.getByAddress(null, bytes, -1);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
    }

    private final FakeDns dns = new FakeDns();

    /**
     * expected: {@code ok <normalised url>} or {@code refused <part of the reason>}.
     * Default server settings are loopback=true, private=false.
     */
    @ParameterizedTest(name = "[{index}] {0} (loopback={1}, private={2}) -> {3}")
    @CsvSource(delimiterString = "|", textBlock = """
            # public https
            https://example.com/hook                 | true  | false | ok https://example.com/hook
            HTTPS://EXAMPLE.COM/x                    | true  | false | ok https://example.com/x
            https://example.com:8443/hook?x=1        | true  | false | ok https://example.com:8443/hook?x=1
            https://example.com/a/../b?q=%2F         | true  | false | ok https://example.com/b?q=%2F
            https://v6.example.com/hook              | true  | false | ok https://v6.example.com/hook
            # local development over http
            http://localhost:3000/hook               | true  | false | ok http://localhost:3000/hook
            http://LocalHost/hook                    | true  | false | ok http://localhost/hook
            http://127.0.0.1/hook                    | true  | false | ok http://127.0.0.1/hook
            http://[::1]:8080/hook                   | true  | false | ok http://[::1]:8080/hook
            https://localhost/hook                   | true  | false | ok https://localhost/hook
            https://loopback.example/hook            | true  | false | ok https://loopback.example/hook
            # http anywhere else, look-alikes of localhost
            http://localhost.evil.example/hook       | true  | false | refused http:// is only allowed for localhost
            http://localhost./hook                   | true  | false | refused http:// is only allowed for localhost
            http://127.0.0.2/hook                    | true  | false | refused http:// is only allowed for localhost
            http://example.com/hook                  | true  | false | refused http:// is only allowed for localhost
            http://10.0.0.1/hook                     | true  | false | refused http:// is only allowed for localhost
            https://localhost.evil.example/hook      | false | false | refused localhost.evil.example (127.0.0.1) is a loopback address
            # malformed or unsupported
            http://user@localhost/hook               | true  | false | refused must not contain a user name
            https://example.com@evil.example/        | true  | false | refused must not contain a user name
            ftp://example.com/                       | true  | false | refused must start with https://
            example.com/hook                         | true  | false | refused must start with https://
            not a url                                | true  | false | refused is not a valid URL
            https://                                 | true  | false | refused is not a valid URL
            https:example.com                        | true  | false | refused must include a host
            https://example.com/#frag                | true  | false | refused must not contain a #fragment
            https://example.com:0/                   | true  | false | refused port must be between 1 and 65535
            https://example.com:65536/               | true  | false | refused port must be between 1 and 65535
            https://my_host.example/                 | true  | false | refused host is not a valid host name or IP address
            https://127.1/                           | true  | false | refused write IPv4 addresses as four decimal numbers
            https://2130706433/                      | true  | false | refused write IPv4 addresses as four decimal numbers
            https://010.0.0.1/                       | true  | false | refused write IPv4 addresses as four decimal numbers
            https://256.1.1.1/                       | true  | false | refused write IPv4 addresses as four decimal numbers
            https://nowhere.invalid/hook             | true  | false | refused host nowhere.invalid does not resolve
            # private, link-local, multicast, metadata
            https://10.0.0.1/hook                    | true  | false | refused 10.0.0.1 is a private network address
            https://internal.example/hook            | true  | false | refused internal.example (192.168.1.5) is a private network address
            https://mixed.example/hook               | true  | false | refused mixed.example (10.0.0.7) is a private network address
            https://ula.example/hook                 | true  | false | refused private network (unique local)
            https://[::ffff:10.0.0.1]/hook           | true  | false | refused is a private network address
            https://mapped.example/hook              | true  | false | refused mapped.example (10.0.0.1) is a private network address
            https://[64:ff9b::a00:1]/hook            | true  | false | refused is a private network address
            https://172.31.255.255/                  | true  | false | refused is a private network address
            https://100.64.0.1/                      | true  | false | refused carrier-grade NAT
            https://[fe80::1]/                       | true  | false | refused link-local
            https://169.254.10.10/                   | true  | false | refused link-local
            https://224.0.0.1/                       | true  | false | refused multicast
            https://169.254.169.254/latest/meta-data | true  | false | refused cloud metadata
            https://[fd00:ec2::254]/                 | true  | false | refused cloud metadata
            https://0.0.0.0/                         | true  | false | refused unspecified
            https://[::]/                            | true  | false | refused unspecified
            https://100.100.100.200/                 | true  | false | refused cloud metadata
            https://0.1.2.3/                         | true  | false | refused unspecified
            https://192.0.0.8/                       | true  | false | refused IETF protocol assignment
            https://198.18.0.1/                      | true  | false | refused benchmarking network
            https://[2001:2::1]/                     | true  | false | refused benchmarking network
            https://239.255.255.250/                 | true  | false | refused multicast
            https://[ff02::1]/                       | true  | false | refused multicast
            https://[fc00::1]/                       | true  | false | refused private network (unique local)
            https://[fec0::1]/                       | true  | false | refused site-local
            https://[64:ff9b:1::a00:1]/              | true  | false | refused local-use NAT64
            https://[::a00:1]/                       | true  | false | refused [::a00:1] (10.0.0.1) is a private network address
            https://[2002:0a00:0001::]/              | true  | false | refused [2002:0a00:0001::] (10.0.0.1) is a private network address
            https://[2002:5db8:d822::1]/             | true  | false | ok https://[2002:5db8:d822::1]/
            https://[64:ff9b::5db8:d822]/            | true  | false | ok https://[64:ff9b::5db8:d822]/
            # the operator's settings
            http://localhost/hook                    | false | false | refused localhost is a loopback host
            https://127.0.0.1/hook                   | false | false | refused 127.0.0.1 is a loopback host
            http://[::1]/hook                        | false | false | refused [::1] is a loopback host
            https://[0:0:0:0:0:0:0:1]/hook           | false | false | refused is a loopback address
            https://loopback.example/hook            | false | true  | refused loopback.example (127.0.0.1) is a loopback address
            https://10.0.0.1/hook                    | true  | true  | ok https://10.0.0.1/hook
            https://internal.example/hook            | false | true  | ok https://internal.example/hook
            https://192.0.0.8/hook                   | true  | true  | ok https://192.0.0.8/hook
            https://[64:ff9b:1::a00:1]/hook          | true  | true  | ok https://[64:ff9b:1::a00:1]/hook
            https://[2002:0a00:0001::1]/hook         | true  | true  | ok https://[2002:0a00:0001::1]/hook
            https://169.254.169.254/                 | true  | true  | refused cloud metadata address, which is never allowed
            https://metadata.example/                | true  | true  | refused metadata.example (169.254.169.254) is a cloud metadata
            https://[fd00:ec2::254]/                 | true  | true  | refused cloud metadata address, which is never allowed
            https://0.0.0.0/                         | true  | true  | refused unspecified address, which is never allowed
            # refused whatever the settings: metadata, link-local and what carries them
            https://169.254.170.2/v2/credentials     | true  | true  | refused 169.254.170.2 is a cloud metadata address, which is never allowed
            https://100.100.100.200/                 | true  | true  | refused cloud metadata address, which is never allowed
            https://[fd20:ce::254]/                  | true  | true  | refused cloud metadata address, which is never allowed
            https://169.254.10.10/                   | true  | true  | refused 169.254.10.10 is a link-local address, which is never allowed
            https://[fe80::1]/hook                   | false | true  | refused [fe80::1] is a link-local address, which is never allowed
            https://linklocal6.example/              | true  | true  | refused linklocal6.example (fe80:0:0:0:0:0:0:2) is a link-local address
            https://[::a9fe:a9fe]/                   | true  | true  | refused [::a9fe:a9fe] (169.254.169.254) is a cloud metadata address
            https://[::169.254.170.2]/               | true  | true  | refused (169.254.170.2) is a cloud metadata address
            https://[2002:a9fe:a9fe::1]/             | true  | true  | refused [2002:a9fe:a9fe::1] (169.254.169.254) is a cloud metadata address
            https://[2002:a9fe:a9fe::]/              | true  | true  | refused (169.254.169.254) is a cloud metadata address
            https://[64:ff9b::a9fe:a9fe]/            | true  | true  | refused (169.254.169.254) is a cloud metadata address
            https://[::ffff:169.254.170.2]/          | true  | true  | refused cloud metadata address, which is never allowed
            https://mapped-metadata.example/         | true  | true  | refused mapped-metadata.example (169.254.169.254) is a cloud metadata
            https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/ | true | true | refused is a Teredo tunnel address, which is never allowed
            https://240.0.0.1/                       | true  | true  | refused reserved address, which is never allowed
            https://255.255.255.255/                 | true  | true  | refused broadcast address, which is never allowed
            """)
    void decides(String url, boolean allowLoopback, boolean allowPrivateNetworks, String expected) {
        TargetUrlPolicy policy = new TargetUrlPolicy(allowLoopback, allowPrivateNetworks, dns);
        if (expected.startsWith("ok ")) {
            assertEquals(URI.create(expected.substring(3)), policy.check(url));
        } else {
            String reason = refusalReason(() -> policy.check(url));
            assertTrue(reason.contains(expected.substring("refused ".length())), reason);
        }
    }

    @Test
    void refusalHasTheApiErrorShape() {
        TargetUrlPolicy policy = new TargetUrlPolicy(true, false, dns);
        DomainException e = assertThrows(DomainException.class, () -> policy.check("ftp://example.com"));
        assertEquals(DomainException.Kind.INVALID, e.kind());
        assertEquals("url is not allowed", e.getMessage());
        assertEquals(1, e.details().size());
        assertTrue(e.details().get(0).startsWith("url: "), e.details().get(0));
    }

    @Test
    void refusesMissingAndOverlongUrls() {
        TargetUrlPolicy policy = new TargetUrlPolicy(true, false, dns);
        assertTrue(refusalReason(() -> policy.check(null)).contains("is required"));
        assertTrue(refusalReason(() -> policy.check("   ")).contains("is required"));

        String prefix = "https://example.com/";
        String longest = prefix + "a".repeat(TargetUrlPolicy.MAX_URL_LENGTH - prefix.length());
        assertEquals(URI.create(longest), policy.check(longest));
        assertTrue(refusalReason(() -> policy.check(longest + "a")).contains("longer than 2048 characters"));
    }

    @Test
    void looksUpOnlyNamesThatPassedTheOtherRules() {
        TargetUrlPolicy policy = new TargetUrlPolicy(true, false, dns);
        policy.check("http://localhost/hook");
        policy.check("https://[::1]/hook");
        refusalReason(() -> policy.check("https://10.0.0.1/hook"));
        refusalReason(() -> policy.check("http://example.com/hook"));
        assertEquals(List.of(), dns.lookups);

        policy.check("https://example.com/hook");
        assertEquals(List.of("example.com"), dns.lookups);
    }

    @Test
    void emptyAnswerMeansTheHostDoesNotResolve() {
        dns.map("empty.example");
        TargetUrlPolicy policy = new TargetUrlPolicy(true, false, dns);
        assertTrue(refusalReason(() -> policy.check("https://empty.example/")).contains("does not resolve"));
    }

    @Test
    void deliveryTimeCheckLeavesTheLookupToTheConnection() {
        TargetUrlPolicy policy = new TargetUrlPolicy(true, false, dns);
        URI saved = policy.check("https://example.com/hook");
        dns.lookups.clear();

        policy.checkAtDelivery(saved);
        assertEquals(List.of(), dns.lookups, "no lookup on the listener's thread");
        assertTrue(refusalReason(() -> policy.checkAtDelivery(URI.create("http://example.com/hook"))).contains("http://"));
    }

    @Test
    void connectionSeesAChangedDnsRecord() {
        TargetUrlPolicy policy = new TargetUrlPolicy(true, false, dns);
        policy.check("https://example.com/hook");
        assertEquals(List.of(ip("93.184.216.34")), List.of(policy.allowedAddresses("example.com")));

        dns.map("example.com", FakeDns.ip("10.1.2.3"));
        String reason = refusalReason(() -> policy.allowedAddresses("example.com"));
        assertTrue(reason.contains("example.com (10.1.2.3) is a private network address"), reason);
        dns.map("example.com", FakeDns.ip("93.184.216.34"), FakeDns.ip("0.0.0.0"));
        reason = refusalReason(() -> policy.allowedAddresses("example.com"));
        assertTrue(reason.contains("example.com (0.0.0.0) is a unspecified address, which is never allowed"), reason);
    }

    @Test
    void connectionAddressesOfLiteralsAndLocalhostNeedNoLookup() {
        TargetUrlPolicy policy = new TargetUrlPolicy(true, false, dns);
        assertEquals(List.of(ip("127.0.0.1"), ip("::1")), List.of(policy.allowedAddresses("localhost")));
        assertEquals(List.of(ip("127.0.0.1")), List.of(policy.allowedAddresses("127.0.0.1")));
        assertEquals(List.of(ip("::1")), List.of(policy.allowedAddresses("::1")), "as a client holds an IPv6 host");
        assertEquals(List.of(ip("::1")), List.of(policy.allowedAddresses("[::1]")));
        assertEquals(List.of(ip("2606:2800:220:1:248:1893:25c8:1946")),
                List.of(policy.allowedAddresses("2606:2800:220:1:248:1893:25c8:1946")));
        assertEquals(List.of(), dns.lookups);

        TargetUrlPolicy production = new TargetUrlPolicy(false, false, dns);
        assertTrue(refusalReason(() -> production.allowedAddresses("localhost")).contains("loopback"));
        assertTrue(refusalReason(() -> production.allowedAddresses("::1")).contains("loopback"));
        assertTrue(refusalReason(() -> production.allowedAddresses("::ffff:169.254.169.254")).contains("cloud metadata"));
        assertTrue(refusalReason(() -> production.allowedAddresses("2130706433")).contains("not a valid host"));
    }

    @Test
    void aLookupWithoutAnAnswerInTimeSaysSo() {
        TargetUrlPolicy policy = new TargetUrlPolicy(true, false, host -> {
            throw new UncheckedIOException(new java.io.InterruptedIOException("no answer within 5000 ms"));
        });
        String reason = refusalReason(() -> policy.check("https://slow.example/hook"));
        assertTrue(reason.contains("host slow.example could not be looked up (no answer within 5000 ms)"), reason);
    }

    @Test
    void deliveryTimeCheckAppliesTheCurrentSettings() {
        URI saved = new TargetUrlPolicy(true, false, dns).check("http://localhost:3000/hook");
        TargetUrlPolicy production = new TargetUrlPolicy(false, false, dns);
        assertTrue(refusalReason(() -> production.checkAtDelivery(saved)).contains("loopback"));
    }

    @Test
    void systemResolverParsesLiteralsWithoutALookup() {
        InetAddress[] addresses = TargetUrlPolicy.systemResolver().apply("127.0.0.1");
        assertEquals(1, addresses.length);
        assertTrue(addresses[0].isLoopbackAddress());
    }

    private static InetAddress ip(String literal) {
        return FakeDns.ip(literal);
    }

    private static String refusalReason(Runnable check) {
        DomainException e = assertThrows(DomainException.class, check::run);
        assertEquals("url is not allowed", e.getMessage());
        return e.details().get(0);
    }
}
