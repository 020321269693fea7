package dev.pons.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.Meta;
import dev.pons.it.Receiver;
import dev.pons.it.SlidingSecond;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/** Per-target rate limits on the real server, counted by the attempts' own X-Pons-Timestamp. */
class RateLimitIT {


    static List<Long> timestamps(Receiver receiver) {
        return receiver.requests().stream().map(r -> Long.parseLong(r.header("X-Pons-Timestamp"))).toList();
    }

    @Test
    void attemptsStartAtMostTheLimitInAnySlidingSecondAndWaitingIsNoAttempt() throws Exception {
        try (Receiver receiver = Receiver.answering(200)) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            String target = DeliveryIT.target(account, receiver.url(), "\"rateLimitPerSecond\":10").id();

            for (int i = 0; i < 4; i++) {
                assertEquals(200, Meta.post(FifoIT.webhook(number, FifoIT.messageIds(10))).status());
            }
            Api.await("40 deliveries", Duration.ofSeconds(30), () -> receiver.requests().size() >= 40);
            // Idle for a while, then a burst: saved-up time gives no burst above the limit.
            Thread.sleep(2_000);
            assertEquals(200, Meta.post(FifoIT.webhook(number, FifoIT.messageIds(20))).status());
            Api.await("60 deliveries", Duration.ofSeconds(30), () -> receiver.requests().size() >= 60);
            Thread.sleep(500);

            List<Long> sent = timestamps(receiver);
            assertEquals(60, sent.size(), "each delivery once");
            assertTrue(SlidingSecond.busiest(sent) <= 11, "at most 10 (+10 %) per sliding second: " + SlidingSecond.busiest(sent));
            List<Long> first = sent.subList(0, 40).stream().sorted().toList();
            assertTrue(first.get(39) - first.get(0) >= 3_500, "40 attempts at 10/s take about 4 s, took "
                    + (first.get(39) - first.get(0)) + " ms");
            assertTrue(receiver.requests().stream().allMatch(r -> "1".equals(r.header("X-Pons-Attempt"))),
                    "waiting for a start slot is not an attempt");
            assertEquals(60, DeliveryIT.deliveries(account, target, "?status=succeeded&limit=100").size());
        }
    }

    @Test
    void aBurstOfMoreThanTheLimitServesWithinALeaseDrainsAtTheLimit() throws Exception {
        try (Receiver receiver = Receiver.answering(200)) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            DeliveryIT.target(account, receiver.url(), "\"rateLimitPerSecond\":20");
            // 260 at 20/s is 13 s of attempts: more than fit one lease (10 s of grace), all accepted at once.
            for (int i = 0; i < 26; i++) {
                assertEquals(200, Meta.post(FifoIT.webhook(number, FifoIT.messageIds(10))).status());
            }
            Api.await("260 deliveries", Duration.ofSeconds(45), () -> receiver.requests().size() >= 260);

            List<Long> sent = timestamps(receiver);
            assertTrue(SlidingSecond.busiest(sent) <= 22, "at most 20 (+10 %) per sliding second: " + SlidingSecond.busiest(sent));
            List<Long> sorted = sent.stream().sorted().toList();
            double perSecond = (sent.size() - 1) * 1_000.0 / (sorted.get(sorted.size() - 1) - sorted.get(0));
            assertTrue(perSecond >= 14, "the limit is used, not starved: " + perSecond + "/s");
            assertTrue(receiver.requests().stream().allMatch(r -> "1".equals(r.header("X-Pons-Attempt"))),
                    "deliveries that waited for the budget made no attempt meanwhile");
        }
    }

    @Test
    void aFifoTargetWithARateLimitKeepsBoth() throws Exception {
        try (Receiver receiver = Receiver.answering(200)) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            String target = DeliveryIT.target(account, receiver.url(), "\"ordering\":\"fifo\",\"rateLimitPerSecond\":5").id();
            List<String> ids = FifoIT.messageIds(12);
            assertEquals(200, Meta.post(FifoIT.webhook(number, ids)).status());

            Api.await("12 deliveries", Duration.ofSeconds(30), () -> receiver.requests().size() >= 12);
            assertEquals(ids, FifoIT.firstArrivals(receiver));
            assertTrue(SlidingSecond.busiest(timestamps(receiver)) <= 6, "at most 5 (+1) per sliding second");
            assertEquals(12, DeliveryIT.deliveries(account, target, "?status=succeeded").size());
        }
    }

    @Test
    void theLimitIsValidatedSetAndCleared() {
        TestAccount account = TestAccounts.create();
        String url = "http://127.0.0.1:1/hook";
        for (String bad : List.of("0", "10001", "2.5", "\"fast\"", "-1")) {
            Api.Reply reply = Api.post(account.path("/webhook-targets"), account.apiKey(),
                    "{\"url\":\"" + url + "\",\"events\":[\"message.inbound.received\"],\"rateLimitPerSecond\":" + bad + "}");
            assertEquals(400, reply.status(), bad + ": " + reply.body());
            assertTrue(reply.body().contains("rateLimitPerSecond: must be"), reply.body());
        }
        JsonObject created = Api.post(account.path("/webhook-targets"), account.apiKey(),
                "{\"url\":\"" + url + "\",\"events\":[\"message.inbound.received\"],\"rateLimitPerSecond\":10000}").json();
        assertEquals(10_000, created.getInt("rateLimitPerSecond"));
        String path = account.path("/webhook-targets/" + created.getString("id"));

        Api.Reply unchanged = Api.send("PATCH", path, account.apiKey(), "{\"name\":\"renamed\"}");
        assertEquals(10_000, unchanged.json().getInt("rateLimitPerSecond"), "a PATCH that does not name it keeps it");
        Api.Reply cleared = Api.send("PATCH", path, account.apiKey(), "{\"rateLimitPerSecond\":null}");
        assertEquals(200, cleared.status(), cleared.body());
        assertTrue(cleared.json().isNull("rateLimitPerSecond"), "null clears the limit");
        Api.Reply refused = Api.send("PATCH", path, account.apiKey(), "{\"rateLimitPerSecond\":0,\"name\":\"other\"}");
        assertEquals(400, refused.status());
        assertEquals("renamed", Api.get(path, account.apiKey()).json().getString("name"), "a refused PATCH changes nothing");
    }
}
