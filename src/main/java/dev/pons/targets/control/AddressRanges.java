package dev.pons.targets.control;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/** The address ranges a webhook target must not reach, and which server setting, if any, opens each. */
final class AddressRanges {

    enum Rule { LOOPBACK, PRIVATE, NEVER }

    record Range(byte[] network, int prefixLength, Rule rule, String label) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            if (!Arrays.equals(address, 0, fullBytes, network, 0, fullBytes)) {
                return false;
            }
            int remainingBits = prefixLength % 8;
            if (remainingBits == 0) {
                return true;
            }
            int mask = (0xff << (8 - remainingBits)) & 0xff;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }

    // First match wins, so single metadata addresses come before the ranges that contain them.
    private static final List<Range> RANGES = List.of(
            range("169.254.169.254/32", Rule.NEVER, "cloud metadata"),
            range("100.100.100.200/32", Rule.NEVER, "cloud metadata"), // Alibaba Cloud
            range("fd00:ec2::254/128", Rule.NEVER, "cloud metadata"),  // AWS over IPv6
            range("0.0.0.0/8", Rule.NEVER, "unspecified"),
            range("::/128", Rule.NEVER, "unspecified"),
            range("240.0.0.0/4", Rule.NEVER, "reserved or broadcast"),
            range("127.0.0.0/8", Rule.LOOPBACK, "loopback"),
            range("::1/128", Rule.LOOPBACK, "loopback"),
            range("10.0.0.0/8", Rule.PRIVATE, "private network"),
            range("172.16.0.0/12", Rule.PRIVATE, "private network"),
            range("192.168.0.0/16", Rule.PRIVATE, "private network"),
            range("100.64.0.0/10", Rule.PRIVATE, "carrier-grade NAT"),
            range("192.0.0.0/24", Rule.PRIVATE, "IETF protocol assignment"),
            range("198.18.0.0/15", Rule.PRIVATE, "benchmarking network"),
            range("169.254.0.0/16", Rule.PRIVATE, "link-local"),
            range("224.0.0.0/4", Rule.PRIVATE, "multicast"),
            range("fc00::/7", Rule.PRIVATE, "private network (unique local)"),
            range("fe80::/10", Rule.PRIVATE, "link-local"),
            range("fec0::/10", Rule.PRIVATE, "site-local"),
            range("ff00::/8", Rule.PRIVATE, "multicast"));

    private static final byte[] IPV4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};
    private static final byte[] NAT64_PREFIX = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

    private AddressRanges() {
    }

    /** The range the address falls in, or null when it is an ordinary public address. */
    static Range find(InetAddress address) {
        byte[] bytes = embeddedIpv4OrSelf(address.getAddress());
        return RANGES.stream().filter(range -> range.contains(bytes)).findFirst().orElse(null);
    }

    /** The address as it is judged: an IPv4 address wrapped in IPv6 is shown as that IPv4 address. */
    static String display(InetAddress address) {
        byte[] bytes = embeddedIpv4OrSelf(address.getAddress());
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        return address.getHostAddress();
    }

    /** An IPv6 address that only wraps an IPv4 address is reached at, and judged as, that IPv4 address. */
    private static byte[] embeddedIpv4OrSelf(byte[] address) {
        if (address.length == 16
                && (Arrays.equals(address, 0, 12, IPV4_MAPPED_PREFIX, 0, 12)
                        || Arrays.equals(address, 0, 12, NAT64_PREFIX, 0, 12))) {
            return Arrays.copyOfRange(address, 12, 16);
        }
        return address;
    }

    private static Range range(String cidr, Rule rule, String label) {
        int slash = cidr.indexOf('/');
        try {
            // Literals only: getByName parses them without a lookup.
            byte[] network = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            return new Range(network, Integer.parseInt(cidr.substring(slash + 1)), rule, label);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + cidr, e);
        }
    }
}
