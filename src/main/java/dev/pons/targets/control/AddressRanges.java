package dev.pons.targets.control;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * The address ranges a webhook target must not reach, and which server setting, if any, opens each
 * (src/docs/webhooks.md, "Target URLs").
 */
final class AddressRanges {

    /** Which setting opens a range: loopback follows allow-loopback, PRIVATE allow-private-networks, NEVER none. */
    enum Rule { LOOPBACK, PRIVATE, NEVER }

    /** A network and prefix length, IPv4 or IPv6. */
    record Prefix(byte[] network, int length) {

        static Prefix parse(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                // Literals only: getByName parses them without a lookup.
                String literal = cidr.substring(0, slash);
                byte[] network = InetAddress.getByName(literal).getAddress();
                if (literal.contains(":") && network.length == 4) {
                    // getByName turns ::ffff:a.b.c.d into an IPv4 address; the prefix is meant in IPv6.
                    network = ipv4Mapped(network);
                }
                return new Prefix(network, Integer.parseInt(cidr.substring(slash + 1)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an address literal: " + cidr, e);
            }
        }

        private static byte[] ipv4Mapped(byte[] ipv4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(ipv4, 0, mapped, 12, 4);
            return mapped;
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int fullBytes = length / 8;
            if (!Arrays.equals(address, 0, fullBytes, network, 0, fullBytes)) {
                return false;
            }
            int remainingBits = length % 8;
            if (remainingBits == 0) {
                return true;
            }
            int mask = (0xff << (8 - remainingBits)) & 0xff;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }

    /** The label is shown in the refusal, so it names the kind of range, never more. */
    record Range(Prefix prefix, Rule rule, String label) {

        boolean contains(byte[] address) {
            return prefix.contains(address);
        }
    }

    /** An IPv6 form whose packets end up at the IPv4 address in bytes [ipv4At, ipv4At + 4). */
    private record Ipv4Carrier(Prefix prefix, int ipv4At) {

        byte[] ipv4(byte[] address) {
            return Arrays.copyOfRange(address, ipv4At, ipv4At + 4);
        }
    }

    /*
     * First match wins, so single addresses come before the ranges that contain them.
     *
     * NEVER holds what no webhook receiver needs and what reaches the host or its cloud whatever the
     * network layout: metadata services hand out credentials, and link-local addresses are the host's own
     * link (where the metadata services live), so allowing private networks must not open them.
     */
    private static final List<Range> RANGES = List.of(
            range("169.254.169.254/32", Rule.NEVER, "cloud metadata"),    // AWS, GCP, Azure, OCI, ...
            range("169.254.170.2/32", Rule.NEVER, "cloud metadata"),      // AWS ECS task credentials
            range("100.100.100.200/32", Rule.NEVER, "cloud metadata"),    // Alibaba Cloud
            range("192.0.0.192/32", Rule.NEVER, "cloud metadata"),        // Oracle Cloud, older instances
            range("168.63.129.16/32", Rule.NEVER, "cloud metadata"),      // Azure WireServer, public-looking
            range("fd00:ec2::254/128", Rule.NEVER, "cloud metadata"),     // AWS over IPv6
            range("fd20:ce::254/128", Rule.NEVER, "cloud metadata"),      // GCP over IPv6
            range("169.254.0.0/16", Rule.NEVER, "link-local"),
            range("fe80::/10", Rule.NEVER, "link-local"),
            range("0.0.0.0/8", Rule.NEVER, "unspecified"),                // 0.0.0.0 reaches the host on Linux
            range("::/128", Rule.NEVER, "unspecified"),
            range("255.255.255.255/32", Rule.NEVER, "broadcast"),
            range("240.0.0.0/4", Rule.NEVER, "reserved"),
            // Teredo hides its IPv4 server and (inverted) client addresses in the address; rather than
            // judge both, the whole range is refused: a relay would deliver to whatever they name.
            range("2001::/32", Rule.NEVER, "Teredo tunnel"),
            range("127.0.0.0/8", Rule.LOOPBACK, "loopback"),
            range("::1/128", Rule.LOOPBACK, "loopback"),
            range("10.0.0.0/8", Rule.PRIVATE, "private network"),
            range("172.16.0.0/12", Rule.PRIVATE, "private network"),
            range("192.168.0.0/16", Rule.PRIVATE, "private network"),
            range("100.64.0.0/10", Rule.PRIVATE, "carrier-grade NAT"),
            range("192.0.0.0/24", Rule.PRIVATE, "IETF protocol assignment"),
            range("198.18.0.0/15", Rule.PRIVATE, "benchmarking network"),
            range("2001:2::/48", Rule.PRIVATE, "benchmarking network"),
            range("224.0.0.0/4", Rule.PRIVATE, "multicast"),
            range("ff00::/8", Rule.PRIVATE, "multicast"),
            range("fc00::/7", Rule.PRIVATE, "private network (unique local)"),
            range("fec0::/10", Rule.PRIVATE, "site-local"),
            // Where the IPv4 address sits depends on the operator's chosen prefix length, so it is not
            // judged; a translator on this prefix reaches the operator's own IPv4 network.
            range("64:ff9b:1::/48", Rule.PRIVATE, "local-use NAT64"));

    /*
     * IPv6 forms that carry an IPv4 address, judged by that address: a translator, relay or the host's own
     * stack delivers to it. Looked at only when the address itself is in no range above, so :: and ::1
     * (inside ::/96) stay the unspecified and loopback addresses.
     */
    private static final List<Ipv4Carrier> IPV4_CARRIERS = List.of(
            carrier("::ffff:0:0/96", 12),   // IPv4-mapped
            carrier("::/96", 12),           // IPv4-compatible (deprecated, RFC 4291)
            carrier("64:ff9b::/96", 12),    // NAT64 well-known prefix
            carrier("2002::/16", 2));       // 6to4: the IPv4 address is bits 16-47

    private AddressRanges() {
    }

    /** The range the address, or the IPv4 address it carries, falls in; null for an ordinary public address. */
    static Range find(InetAddress address) {
        byte[] bytes = address.getAddress();
        Range own = rangeOf(bytes);
        if (own != null) {
            return own;
        }
        byte[] ipv4 = carriedIpv4(bytes);
        return ipv4 == null ? null : rangeOf(ipv4);
    }

    /** The address as it is judged: an IPv6 address that carries an IPv4 address is shown as that IPv4 address. */
    static String display(InetAddress address) {
        byte[] bytes = address.getAddress();
        byte[] ipv4 = rangeOf(bytes) == null ? carriedIpv4(bytes) : null;
        if (ipv4 == null) {
            return address.getHostAddress();
        }
        return (ipv4[0] & 0xff) + "." + (ipv4[1] & 0xff) + "." + (ipv4[2] & 0xff) + "." + (ipv4[3] & 0xff);
    }

    private static Range rangeOf(byte[] address) {
        return RANGES.stream().filter(range -> range.contains(address)).findFirst().orElse(null);
    }

    private static byte[] carriedIpv4(byte[] address) {
        return IPV4_CARRIERS.stream()
                .filter(carrier -> carrier.prefix().contains(address))
                .findFirst()
                .map(carrier -> carrier.ipv4(address))
                .orElse(null);
    }

    private static Range range(String cidr, Rule rule, String label) {
        return new Range(Prefix.parse(cidr), rule, label);
    }

    private static Ipv4Carrier carrier(String cidr, int ipv4At) {
        return new Ipv4Carrier(Prefix.parse(cidr), ipv4At);
    }
}
