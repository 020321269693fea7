package dev.pons.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.pons.targets.control.JmsDestination;
import dev.pons.targets.control.SigningSecrets;

class JmsPublisherTest {

    static Claim claim(String secret, String previous, String unsendable) {
        return new Claim("dlv_7", 1, 1, 2, "evt_1", "message.inbound.received", "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                "acc_1", "whk_1", null, 1_000, secret, previous, Map.of("Authorization", "Bearer x"), 1, 1, false, false,
                unsendable, false, null, new JmsDestination("example", "jms/cf", "jms/q", false));
    }

    @Test
    void thePropertiesCarryWhatTheHttpHeadersOfTheSameAttemptCarry() {
        String secret = SigningSecrets.generate();
        String previous = SigningSecrets.generate();
        Claim claim = claim(secret, previous, null);
        Map<String, String> properties = JmsPublisher.properties(claim, 1_700_000_000_999L);
        Map<String, String> headers = Sender.headers(claim, 1_700_000_000_999L);

        assertEquals(List.of("PonsEventId", "PonsEventType", "PonsDeliveryId", "PonsAttempt", "PonsTimestamp",
                "PonsSignature", "PonsSignaturePrevious"), List.copyOf(properties.keySet()));
        for (String name : properties.keySet()) {
            String header = "X-Pons-" + name.substring(4).replaceAll("([a-z])([A-Z])", "$1-$2");
            assertEquals(headers.get(header), properties.get(name), name + " is " + header);
        }
        assertFalse(properties.containsKey("Authorization"), "a target's own headers are HTTP's only");
        assertFalse(JmsPublisher.properties(claim(secret, null, null), 1L).containsKey("PonsSignaturePrevious"));
    }

    @Test
    void anUnsendableClaimIsAFailedAttemptWithoutASend() throws Exception {
        JmsPublisher publisher = new JmsPublisher();
        publisher.clock = java.time.Clock.systemUTC();
        publisher.start(Thread::new);
        try {
            Outcome outcome = publisher.attempt(claim("whsec_x", null, "the JMS destination example is not granted"))
                    .get(5, TimeUnit.SECONDS);
            assertFalse(outcome.succeeded());
            assertEquals("not sent: the JMS destination example is not granted", outcome.error());
        } finally {
            publisher.close();
        }
    }

    @Test
    void aCommittedSendIsASuccessWithoutAStatusCode() {
        Outcome published = Outcome.published(1, 2, "committed to example");
        assertTrue(published.succeeded());
        assertFalse(new Outcome(1, 2, null, "timeout", null, null).succeeded());
        assertFalse(new Outcome(1, 2, 500, null, "", null).succeeded());
    }
}
