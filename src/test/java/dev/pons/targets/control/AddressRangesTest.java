package dev.pons.targets.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each range of the table, at its edges where a neighbour is public, and each IPv6 form that carries IPv4. */
class AddressRangesTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1} {2}")
    @CsvSource(delimiterString = "|", textBlock = """
            # refused always
            169.254.169.254          | NEVER    | cloud metadata
            169.254.170.2            | NEVER    | cloud metadata
            100.100.100.200          | NEVER    | cloud metadata
            192.0.0.192              | NEVER    | cloud metadata
            168.63.129.16            | NEVER    | cloud metadata
            fd00:ec2::254            | NEVER    | cloud metadata
            fd20:ce::254             | NEVER    | cloud metadata
            169.254.0.0              | NEVER    | link-local
            169.254.255.255          | NEVER    | link-local
            fe80::1                  | NEVER    | link-local
            febf:ffff::1             | NEVER    | link-local
            0.0.0.0                  | NEVER    | unspecified
            0.255.255.255            | NEVER    | unspecified
            ::                       | NEVER    | unspecified
            255.255.255.255          | NEVER    | broadcast
            240.0.0.1                | NEVER    | reserved
            255.255.255.254          | NEVER    | reserved
            2001:0:4136:e378:8000:63bf:3fff:fdd2 | NEVER | Teredo tunnel
            2001:0:ffff:ffff::1      | NEVER    | Teredo tunnel
            # loopback
            127.0.0.1                | LOOPBACK | loopback
            127.255.255.254          | LOOPBACK | loopback
            ::1                      | LOOPBACK | loopback
            # refused unless private networks are allowed
            10.0.0.1                 | PRIVATE  | private network
            172.16.0.1               | PRIVATE  | private network
            172.31.255.255           | PRIVATE  | private network
            192.168.0.1              | PRIVATE  | private network
            100.64.0.1               | PRIVATE  | carrier-grade NAT
            100.127.255.255          | PRIVATE  | carrier-grade NAT
            192.0.0.8                | PRIVATE  | IETF protocol assignment
            198.18.0.1               | PRIVATE  | benchmarking network
            198.19.255.255           | PRIVATE  | benchmarking network
            2001:2::1                | PRIVATE  | benchmarking network
            224.0.0.1                | PRIVATE  | multicast
            239.255.255.250          | PRIVATE  | multicast
            ff02::1                  | PRIVATE  | multicast
            ff0e::1                  | PRIVATE  | multicast
            fc00::1                  | PRIVATE  | private network (unique local)
            fd12::1                  | PRIVATE  | private network (unique local)
            fec0::1                  | PRIVATE  | site-local
            64:ff9b:1::a00:1         | PRIVATE  | local-use NAT64
            64:ff9b:1:ffff::1        | PRIVATE  | local-use NAT64
            # IPv4-compatible ::/96, judged by the IPv4 address in the last 32 bits
            ::a9fe:a9fe              | NEVER    | cloud metadata
            ::169.254.170.2          | NEVER    | cloud metadata
            ::a00:1                  | PRIVATE  | private network
            ::7f00:1                 | LOOPBACK | loopback
            ::2                      | NEVER    | unspecified
            # NAT64 64:ff9b::/96, the last 32 bits
            64:ff9b::a9fe:a9fe       | NEVER    | cloud metadata
            64:ff9b::a9fe:1          | NEVER    | link-local
            64:ff9b::a00:1           | PRIVATE  | private network
            # 6to4 2002::/16, bits 16-47
            2002:a9fe:a9fe::         | NEVER    | cloud metadata
            2002:a9fe:a9fe::1        | NEVER    | cloud metadata
            2002:a9fe:0101:1::1      | NEVER    | link-local
            2002:0a00:0001::         | PRIVATE  | private network
            2002:c0a8:0101:5::1      | PRIVATE  | private network
            2002:7f00:1::            | LOOPBACK | loopback
            2002:0000:0000::1        | NEVER    | unspecified
            """)
    void judges(String literal, AddressRanges.Rule rule, String label) {
        AddressRanges.Range range = AddressRanges.find(ip(literal));
        assertEquals(rule, range == null ? null : range.rule(), literal);
        assertEquals(label, range.label(), literal);
    }

    /** Just outside the ranges above, and IPv4 carriers whose IPv4 address is public. */
    @ParameterizedTest
    @ValueSource(strings = {
            "93.184.216.34", "1.0.0.1", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
            "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0",
            "192.0.1.0", "192.167.255.255", "198.17.255.255", "198.20.0.0", "223.255.255.255",
            "168.63.129.15",
            "2606:2800:220:1:248:1893:25c8:1946", "2001:1::1", "2001:3::1", "2001:4860:4860::8888",
            "2002:5db8:d822::1", "64:ff9b::5db8:d822", "64:ff9b:2::1", "::5db8:d822", "fe7f:ffff::1",
            "fbff:ffff::1"})
    void leavesPublicAddressesAlone(String literal) {
        assertNull(AddressRanges.find(ip(literal)), literal);
    }

    /** getByName turns ::ffff:a.b.c.d into an Inet4Address; a resolver may hand over the IPv6 form. */
    @ParameterizedTest
    @CsvSource(delimiterString = "|", textBlock = """
            169 | 254 | 169 | 254 | NEVER    | cloud metadata
            169 | 254 | 1   | 1   | NEVER    | link-local
            10  | 0   | 0   | 1   | PRIVATE  | private network
            127 | 0   | 0   | 1   | LOOPBACK | loopback
            """)
    void judgesIpv4MappedAddressesByTheirIpv4Address(int a, int b, int c, int d, AddressRanges.Rule rule,
            String label) throws UnknownHostException {
        byte[] bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff,
                (byte) a, (byte) b, (byte) c, (byte) d};
        InetAddress mapped = Inet6Address.getByAddress(null, bytes, -1);
        AddressRanges.Range range = AddressRanges.find(mapped);
        assertEquals(rule, range.rule());
        assertEquals(label, range.label());
        assertEquals(a + "." + b + "." + c + "." + d, AddressRanges.display(mapped));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "|", textBlock = """
            2002:a9fe:a9fe::1  | 169.254.169.254
            ::a9fe:a9fe        | 169.254.169.254
            64:ff9b::a00:1     | 10.0.0.1
            ::1                | 0:0:0:0:0:0:0:1
            ::                 | 0:0:0:0:0:0:0:0
            fe80::1            | fe80:0:0:0:0:0:0:1
            """)
    void displaysTheAddressThatWasJudged(String literal, String shown) {
        assertEquals(shown, AddressRanges.display(ip(literal)));
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
