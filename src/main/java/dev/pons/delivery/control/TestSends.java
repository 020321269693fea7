package dev.pons.delivery.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.pons.events.entity.EventType;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.OneAtATime;

/**
 * "Send test event": a real, signed delivery of a sample event to one target, attempted at once.
 * It is stored like any other (it shows in the delivery log and can be retried) but goes to this
 * target only. The payload carries {@code "test": true}.
 */
@ApplicationScoped
public class TestSends {

    private static final Logger LOG = Logger.getLogger(TestSends.class.getName());

    private final OneAtATime running = new OneAtATime();

    @Inject
    Deliveries deliveries;

    @Inject
    DeliveryWorker worker;

    /**
     * Answers once the attempt is recorded, so the caller sees its outcome; a slow one goes on meanwhile.
     * One test send per target at a time (per instance): each holds a request thread while it waits.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public String send(String accountId, String targetId) {
        return running.run(targetId, () -> attempt(accountId, targetId),
                () -> DomainException.tooMany("a test send to this target is already running",
                        List.of("test: one at a time per target; try again once it has answered")));
    }

    private String attempt(String accountId, String targetId) {
        Lease lease = deliveries.createTest(accountId, targetId);
        try {
            worker.attemptNow(lease).toCompletableFuture().get(Sender.CEILING.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.FINE, "test delivery " + lease.deliveryId() + " not recorded yet", e);
        }
        return lease.deliveryId();
    }

    public static JsonObject sample(EventType type, String phoneNumberId, long now) {
        var payload = Json.createObjectBuilder().add("test", true)
                .add("waMessageId", "wamid.TEST")
                .add("phoneNumberId", phoneNumberId == null ? "0" : phoneNumberId)
                .add("timestamp", now);
        switch (type) {
            case MESSAGE_INBOUND_RECEIVED -> payload.add("from", "15550000000").add("type", "text")
                    .add("text", "This is a test event from Pons.");
            case MESSAGE_STATUS_UPDATED -> payload.add("recipientId", "15550000000").add("status", "delivered");
            case MESSAGE_OUTBOUND_SENT -> payload.add("messageId", "msg_test").add("to", "15550000000")
                    .add("type", "text").add("text", "This is a test event from Pons.");
            case MESSAGE_OUTBOUND_FAILED -> payload.add("messageId", "msg_test").add("to", "15550000000")
                    .add("type", "text").add("error", Json.createObjectBuilder().add("code", 0)
                            .add("title", "Test").add("message", "This is a test event from Pons."));
        }
        return payload.build();
    }
}
