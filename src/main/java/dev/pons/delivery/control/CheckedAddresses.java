package dev.pons.delivery.control;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.hc.client5.http.DnsResolver;

import dev.pons.platform.control.DomainException;
import dev.pons.targets.control.TargetUrlPolicy;

/**
 * The delivery client's only resolver: it answers with the addresses of a host that the URL rules allow,
 * or refuses the host. Whatever the client connects to has passed this check on the same lookup.
 */
final class CheckedAddresses implements DnsResolver {

    /** A host refused by the URL rules; the message is the rule's reason, fit for a delivery's error. */
    static final class Refused extends UnknownHostException {

        Refused(String reason) {
            super(reason);
        }
    }

    private final TargetUrlPolicy policy;

    CheckedAddresses(TargetUrlPolicy policy) {
        this.policy = policy;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        try {
            return policy.allowedAddresses(host);
        } catch (DomainException refused) {
            throw new Refused(String.join("; ", refused.details()));
        }
    }

    /** Only asked for authentication schemes that the delivery client never uses. */
    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return host;
    }
}
