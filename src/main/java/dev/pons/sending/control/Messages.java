package dev.pons.sending.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.logging.Logger;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;

import dev.pons.accounts.control.Numbers;
import dev.pons.accounts.entity.Account;
import dev.pons.accounts.entity.PhoneNumber;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.Ids;
import dev.pons.sending.entity.OutboundMessage;

/**
 * Sends a message through the Cloud API from one of the account's numbers, then stores the outcome
 * with its event ({@code message.outbound.sent} or {@code .failed}).
 */
@ApplicationScoped
public class Messages {

    private static final Logger LOG = Logger.getLogger(Messages.class.getName());

    public record Outcome(OutboundMessage message, GraphReply reply) {
    }

    @Inject
    Numbers numbers;

    @Inject
    GraphApi graph;

    @Inject
    OutboundMessages outboundMessages;

    @Inject
    Clock clock;

    /**
     * Calls Meta outside any transaction (GraphApi suspends one), then stores the outcome in a new
     * one: a transaction that could roll back after Meta accepted would lose a message the customer
     * already has.
     */
    public Outcome send(Account account, MessageRequest request) {
        PhoneNumber number = numbers.find(request.phoneNumberId())
                .filter(n -> n.getAccountId().equals(account.getId()))
                .orElseThrow(() -> DomainException.invalid("invalid message",
                        List.of("phoneNumberId: not a number of this account; register it under /numbers first")));
        String accessToken = numbers.accessToken(number)
                .orElseThrow(() -> DomainException.invalid("invalid message",
                        List.of("phoneNumberId: this number has no stored Cloud API access token, so Pons cannot"
                                + " send from it")));
        long createdAt = clock.millis();
        String messageId = Ids.next("msg", createdAt);
        GraphReply reply;
        try {
            reply = graph.send(number.getPhoneNumberId(), accessToken, request.toGraphBody()).redact(accessToken);
        } catch (BulkheadException full) {
            throw DomainException.unavailable(
                    "too many messages are being sent right now; nothing was sent, try again shortly");
        }
        if (!reply.accepted()) {
            LOG.info(() -> "message " + messageId + " from " + number.getPhoneNumberId() + " not sent: "
                    + reply.error().summary());
        }
        try {
            return new Outcome(outboundMessages.record(account.getId(), messageId, request, reply, createdAt), reply);
        } catch (RuntimeException storeFailed) {
            // Meta has (or may have) the message already; say which one, so it can be traced by hand.
            LOG.severe(() -> "message " + messageId + " (WhatsApp id " + reply.waMessageId() + ", " + reply.kind()
                    + ") could not be stored: " + storeFailed);
            throw storeFailed;
        }
    }
}
