package dev.pons.targets.control;

import dev.pons.platform.control.DomainException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which URLs a webhook target may point at (src/docs/webhooks.md, "Target URLs"), so that Pons cannot be
 * used to reach its own host, the operator's internal network or the cloud metadata service.
 *
 * <p>Decisions beyond the contract's wording:
 * <ul>
 * <li>Cloud metadata addresses, link-local addresses, the unspecified addresses (0.0.0.0/8, ::),
 *     240.0.0.0/4 and Teredo are refused even when private networks are allowed: no legitimate webhook
 *     receiver lives there, metadata services hand out credentials from the link-local range, and
 *     0.0.0.0 reaches the local host on Linux.</li>
 * <li>A loopback address reached through any other name (or literal such as 127.0.0.2) follows
 *     {@code allowLoopback}, not {@code allowPrivateNetworks}: when {@code https://127.0.0.1} is
 *     allowed, a DNS name for it adds no risk; when it is not, no name may open it again.</li>
 * <li>Host names are compared case-insensitively (DNS is), so {@code http://LOCALHOST} is local;
 *     {@code localhost.} or {@code localhost.evil.example} are not.</li>
 * <li>Numeric hosts other than a plain dotted quad ({@code 127.1}, {@code 2130706433},
 *     {@code 010.0.0.1}) are refused: HTTP clients disagree about what they mean.</li>
 * <li>IPv6 addresses that carry an IPv4 address (::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64
 *     64:ff9b::/96, 6to4 2002::/16) are judged by that IPv4 address; the refusal names it.</li>
 * </ul>
 *
 * <p>At delivery, {@link #checkAtDelivery} repeats every rule but the lookup, and the HTTP client asks
 * {@link #allowedAddresses} for the addresses it connects to: the lookup that is checked is the one
 * whose addresses are used, so a name that changes after it (DNS rebinding) cannot lead elsewhere.
 */
public final class TargetUrlPolicy {

    public static final int MAX_URL_LENGTH = 2048;

    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    /** What localhost means (RFC 6761), in the JDK's default order; never looked up, so no DNS can change it. */
    private static final InetAddress[] LOCALHOST = {
        loopback(new byte[] {127, 0, 0, 1}), loopback(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})};
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("(0|[1-9]\\d{0,2})\\.(0|[1-9]\\d{0,2})\\.(0|[1-9]\\d{0,2})\\.(0|[1-9]\\d{0,2})");
    /** A last label that is a number: a TLD never is, so the host is meant as an IPv4 address. */
    private static final Pattern NUMERIC_LAST_LABEL = Pattern.compile("(?:^|.*\\.)(\\d+|0x[0-9a-f]*)\\.?$");

    private static final String INVALID_HOST = "host is not a valid host name or IP address (write IPv4"
            + " addresses as four decimal numbers, as in 203.0.113.10, and internationalised names in their"
            + " xn-- form)";

    private final boolean allowLoopback;
    private final boolean allowPrivateNetworks;
    private final Function<String, InetAddress[]> resolver;

    /**
     * @param resolver looks a host name up; throws {@link UncheckedIOException} (typically wrapping
     *                 {@link UnknownHostException}) or returns no addresses when the name does not resolve
     */
    public TargetUrlPolicy(boolean allowLoopback, boolean allowPrivateNetworks,
            Function<String, InetAddress[]> resolver) {
        this.allowLoopback = allowLoopback;
        this.allowPrivateNetworks = allowPrivateNetworks;
        this.resolver = resolver;
    }

    public static Function<String, InetAddress[]> systemResolver() {
        return host -> {
            try {
                return InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** Returns the normalised URL (lower-case scheme and host, dot segments removed) or refuses it. */
    public URI check(String url) {
        return check(url, true);
    }

    /**
     * The same rules under the current settings, for the moment a delivery is about to be sent, except
     * that a DNS name is not looked up here: its addresses are checked by {@link #allowedAddresses} when
     * the client connects.
     */
    public void checkAtDelivery(URI uri) {
        if (uri == null) {
            throw refused("is required");
        }
        check(uri.toString(), false);
    }

    /**
     * The addresses a client may connect to for a host, all of them allowed; refuses the host when any
     * address it resolves to is not. Takes the host as an HTTP client holds it: an IPv6 literal with or
     * without brackets.
     */
    public InetAddress[] allowedAddresses(String host) {
        if (host == null || host.isEmpty()) {
            throw refused(INVALID_HOST);
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.contains(":") && !name.startsWith("[")) {
            name = "[" + name + "]";
        }
        if (LOOPBACK_HOSTS.contains(name)) {
            requireAllowedDestination(name, false);
            return name.equals("localhost") ? LOCALHOST.clone() : new InetAddress[] {literalAddress(name)};
        }
        InetAddress literal = literalAddress(name);
        if (literal != null) {
            requireAllowedAddress(name, literal, true);
            return new InetAddress[] {literal};
        }
        InetAddress[] addresses = resolve(name);
        for (InetAddress address : addresses) {
            requireAllowedAddress(name, address, false);
        }
        return addresses.clone();
    }

    private URI check(String url, boolean lookUp) {
        URI uri = parse(url);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        requireLocalIfPlainHttp(scheme, host);
        requireAllowedDestination(host, lookUp);
        return normalise(uri, scheme, host);
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw refused("is required");
        }
        String trimmed = url.strip();
        if (trimmed.length() > MAX_URL_LENGTH) {
            throw refused("is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            String where = e.getIndex() < 0 ? "" : " at character " + (e.getIndex() + 1);
            throw refused("is not a valid URL (" + e.getReason() + where
                    + "); expected something like https://example.com/webhooks");
        }
        requireShape(uri);
        return uri;
    }

    private static void requireShape(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
            throw refused("must start with https:// (http:// only for localhost, 127.0.0.1 or [::1])");
        }
        if (uri.getRawAuthority() == null) {
            throw refused("must include a host, as in https://example.com/webhooks");
        }
        if (uri.getHost() == null) {
            // URI falls back to a "registry" authority when the host is not a valid DNS name or address.
            throw refused(INVALID_HOST);
        }
        if (uri.getRawUserInfo() != null) {
            throw refused("must not contain a user name or password; put credentials in the path or query");
        }
        if (uri.getRawFragment() != null) {
            throw refused("must not contain a #fragment; fragments are never sent to the server");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw refused("port must be between 1 and 65535");
        }
    }

    private static void requireLocalIfPlainHttp(String scheme, String host) {
        if (scheme.equals("http") && !LOOPBACK_HOSTS.contains(host)) {
            throw refused("http:// is only allowed for localhost, 127.0.0.1 and [::1]; use https://");
        }
    }

    private void requireAllowedDestination(String host, boolean lookUp) {
        if (LOOPBACK_HOSTS.contains(host)) {
            // Not looked up: these are loopback by definition (RFC 6761 for localhost).
            if (!allowLoopback) {
                throw refused(host + " is a loopback host, and loopback targets are not allowed on this server");
            }
            return;
        }
        InetAddress literal = literalAddress(host);
        if (literal != null) {
            requireAllowedAddress(host, literal, true);
            return;
        }
        if (lookUp) {
            for (InetAddress address : resolve(host)) {
                requireAllowedAddress(host, address, false);
            }
        }
    }

    /** The address a host names without a lookup, or null when it is a DNS name. */
    private static InetAddress literalAddress(String host) {
        if (host.startsWith("[")) {
            try {
                // A bracketed literal is parsed, never looked up; URI has already validated its syntax.
                return InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw refused("host is not a valid IPv6 address");
            }
        }
        Matcher quad = DOTTED_QUAD.matcher(host);
        if (quad.matches()) {
            return ipv4(quad);
        }
        if (NUMERIC_LAST_LABEL.matcher(host).matches()) {
            // Forms URI lets through, such as 2130706433 or 010.0.0.1, that clients read differently.
            throw refused(INVALID_HOST);
        }
        return null;
    }

    private static InetAddress ipv4(Matcher quad) {
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(quad.group(i + 1));
            if (octet > 255) {
                throw refused(INVALID_HOST);
            }
            bytes[i] = (byte) octet;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always a valid IPv4 address", e);
        }
    }

    private static InetAddress loopback(byte[] address) {
        try {
            return InetAddress.getByAddress("localhost", address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 and 16 bytes are always a valid address", e);
        }
    }

    private InetAddress[] resolve(String host) {
        InetAddress[] addresses;
        try {
            addresses = resolver.apply(host);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof InterruptedIOException late) {
                throw refused("host " + host + " could not be looked up (" + late.getMessage() + "); try again later");
            }
            throw refused("host " + host + " does not resolve; check the spelling and the DNS records");
        }
        if (addresses == null || addresses.length == 0) {
            throw refused("host " + host + " does not resolve; check the spelling and the DNS records");
        }
        return addresses;
    }

    private void requireAllowedAddress(String host, InetAddress address, boolean literal) {
        AddressRanges.Range range = AddressRanges.find(address);
        if (range == null) {
            return;
        }
        // A literal is named as written, unless it carries an IPv4 address: then that is what was judged.
        String judged = AddressRanges.display(address);
        String subject = literal && judged.equals(address.getHostAddress()) ? host : host + " (" + judged + ")";
        switch (range.rule()) {
            case LOOPBACK -> {
                if (!allowLoopback) {
                    throw refused(subject + " is a loopback address, and loopback targets are not allowed"
                            + " on this server");
                }
            }
            case PRIVATE -> {
                if (!allowPrivateNetworks) {
                    throw refused(subject + " is a " + range.label() + " address; use a publicly"
                            + " reachable host (private networks are not allowed on this server)");
                }
            }
            case NEVER -> throw refused(subject + " is a " + range.label() + " address, which is never"
                    + " allowed as a webhook target");
        }
    }

    private static URI normalise(URI uri, String scheme, String host) {
        // Built from the raw (still encoded) parts so that escapes such as %2F keep their meaning.
        StringBuilder text = new StringBuilder(scheme).append("://").append(host);
        if (uri.getPort() != -1) {
            text.append(':').append(uri.getPort());
        }
        text.append(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            text.append('?').append(uri.getRawQuery());
        }
        return URI.create(text.toString()).normalize();
    }

    private static DomainException refused(String reason) {
        return DomainException.invalid("url is not allowed", List.of("url: " + reason));
    }
}
