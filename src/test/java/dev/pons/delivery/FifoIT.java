package dev.pons.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.Meta;
import dev.pons.it.Receiver;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/**
 * FIFO targets on the real server: one delivery at a time, in the order Pons accepted the events, the
 * rest waiting behind a head that is being retried.
 */
class FifoIT {

    /** A Meta webhook with these inbound text messages, in this order in its {@code messages} array. */
    static String webhook(String phoneNumberId, List<String> messageIds) {
        JsonObject fixture = Json.createReader(new StringReader(Meta.fresh("inbound-text.json", phoneNumberId))).readObject();
        JsonObject change = fixture.getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0);
        JsonObject value = change.getJsonObject("value");
        JsonObject message = value.getJsonArray("messages").getJsonObject(0);
        JsonArrayBuilder messages = Json.createArrayBuilder();
        for (String id : messageIds) {
            messages.add(Json.createObjectBuilder(message).add("id", id)
                    .add("text", Json.createObjectBuilder().add("body", "message " + id)));
        }
        JsonObject newValue = Json.createObjectBuilder(value).add("messages", messages).build();
        JsonObject newChange = Json.createObjectBuilder(change).add("value", newValue).build();
        JsonObject entry = Json.createObjectBuilder(fixture.getJsonArray("entry").getJsonObject(0))
                .add("changes", Json.createArrayBuilder().add(newChange)).build();
        return Json.createObjectBuilder(fixture).add("entry", Json.createArrayBuilder().add(entry)).build().toString();
    }

    static List<String> messageIds(int count) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add("wamid.fifo" + run + "." + i);
        }
        return ids;
    }

    static String messageId(Receiver.Request request) {
        return DeliveryIT.json(request.body()).getJsonObject("payload").getString("waMessageId");
    }

    /** The message ids in the order they first arrived. */
    static List<String> firstArrivals(Receiver receiver) {
        Set<String> order = new LinkedHashSet<>();
        receiver.requests().forEach(request -> order.add(messageId(request)));
        return List.copyOf(order);
    }

    static String fifoTarget(TestAccount account, String url, String extra) {
        return DeliveryIT.target(account, url, "\"ordering\":\"fifo\"" + (extra.isEmpty() ? "" : "," + extra)).id();
    }

    /** Answers as {@code answers} says after a short pause, counting how many requests it holds at once. */
    static final class Counting implements Function<Receiver.Request, Receiver.Answer> {

        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        volatile Function<Receiver.Request, Receiver.Answer> answers;

        Counting(Function<Receiver.Request, Receiver.Answer> answers) {
            this.answers = answers;
        }

        @Override
        public Receiver.Answer apply(Receiver.Request request) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
                return answers.apply(request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Receiver.Answer.status(500);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    @Test
    void theHeadIsRetriedWhileTheRestWaitsThenEverythingArrivesInOrder() throws Exception {
        List<String> batch = messageIds(3);
        List<String> singles = messageIds(3);
        String head = batch.get(0);
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        Counting counting = new Counting(request -> {
            String id = messageId(request);
            int n = seen.computeIfAbsent(id, x -> new AtomicInteger()).incrementAndGet();
            return Receiver.Answer.status(id.equals(head) && n <= 2 ? 500 : 200);
        });
        try (Receiver receiver = Receiver.answering(counting)) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            String target = fifoTarget(account, receiver.url(), "\"maxAttempts\":5,\"initialBackoffMs\":300,\"maxBackoffMs\":1000");

            assertEquals(200, Meta.post(webhook(number, batch)).status());
            for (String single : singles) {
                assertEquals(200, Meta.post(webhook(number, List.of(single))).status());
            }
            List<String> accepted = new ArrayList<>(batch);
            accepted.addAll(singles);

            Api.await("6 events delivered", Duration.ofSeconds(30), () -> DeliveryIT.deliveries(account, target,
                    "?status=succeeded").size() == 6);
            assertEquals(accepted, firstArrivals(receiver),
                    "first arrivals follow the acceptance order: the webhook's array order, then webhook by webhook");
            List<Receiver.Request> requests = receiver.requests();
            assertEquals(8, requests.size(), "the head three times (two failures), everything else once");
            for (int i = 0; i < 3; i++) {
                assertEquals(head, messageId(requests.get(i)), "nothing else goes while the head is retried");
                assertEquals(String.valueOf(i + 1), requests.get(i).header("X-Pons-Attempt"));
            }
            for (int i = 3; i < requests.size(); i++) {
                assertEquals("1", requests.get(i).header("X-Pons-Attempt"),
                        "waiting behind the head is not an attempt");
            }
            assertEquals(1, counting.maxInFlight.get(), "never two requests in flight for a FIFO target");
        }
    }

    @Test
    void aHeadThatFinallyFailsLetsTheRestGo() throws Exception {
        List<String> ids = messageIds(4);
        String head = ids.get(0);
        Counting counting = new Counting(request -> Receiver.Answer.status(messageId(request).equals(head) ? 500 : 200));
        try (Receiver receiver = Receiver.answering(counting)) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            String target = fifoTarget(account, receiver.url(), "\"maxAttempts\":2,\"initialBackoffMs\":200,\"maxBackoffMs\":1000");

            assertEquals(200, Meta.post(webhook(number, ids)).status());

            Api.await("the rest delivered", Duration.ofSeconds(30), () -> DeliveryIT.deliveries(account, target,
                    "?status=succeeded").size() == 3);
            JsonArray failed = DeliveryIT.deliveries(account, target, "?status=failed");
            assertEquals(1, failed.size());
            assertEquals(2, failed.getJsonObject(0).getInt("attemptCount"));
            assertEquals(ids, firstArrivals(receiver));
            List<Receiver.Request> requests = receiver.requests();
            assertEquals(head, messageId(requests.get(1)), "the head's last attempt comes before anything behind it");
            assertEquals(1, counting.maxInFlight.get());
        }
    }

    @Test
    void theLineShowsItsHeadAndWhyItWaitsAndAPendingDeliveryIsNotRetriedOutOfTurn() throws Exception {
        List<String> ids = messageIds(3);
        Counting counting = new Counting(request -> Receiver.Answer.status(500));
        try (Receiver receiver = Receiver.answering(counting)) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            String target = fifoTarget(account, receiver.url(), "\"initialBackoffMs\":60000");
            assertEquals(200, Meta.post(webhook(number, ids)).status());

            Api.await("the head failed once", Duration.ofSeconds(15), () -> line(account, target).getString("state")
                    .equals("retry_scheduled"));
            JsonObject line = line(account, target);
            assertEquals("fifo", line.getString("ordering"));
            assertEquals(2, line.getInt("waiting"));
            JsonObject headDelivery = line.getJsonObject("head");
            assertEquals(1, headDelivery.getInt("attemptCount"));
            assertTrue(headDelivery.getJsonNumber("nextAttemptAt").longValue() > System.currentTimeMillis() + 30_000);
            assertEquals(List.of(ids.get(0)), firstArrivals(receiver));

            JsonArray pending = DeliveryIT.deliveries(account, target, "?status=pending");
            assertEquals(3, pending.size());
            JsonObject waiting = pending.stream().map(JsonObject.class::cast)
                    .filter(d -> !d.getString("id").equals(headDelivery.getString("id"))).findFirst().orElseThrow();
            assertTrue(waiting.isNull("nextAttemptAt"), "a delivery waiting in line has no time of its own");
            assertEquals(0, waiting.getInt("attemptCount"));

            Api.Reply retry = Api.post(account.path("/deliveries/" + waiting.getString("id") + "/retry"), account.apiKey(), "");
            assertEquals(409, retry.status(), retry.body());
            assertTrue(retry.json().getString("error").contains("in its turn"), retry.body());

            // Unordered again: the line is due at once, side by side.
            counting.answers = request -> Receiver.Answer.status(200);
            Api.Reply patch = Api.send("PATCH", account.path("/webhook-targets/" + target), account.apiKey(),
                    "{\"ordering\":\"unordered\"}");
            assertEquals(200, patch.status(), patch.body());
            assertEquals("unordered", patch.json().getString("ordering"));
            Api.await("the two behind the head delivered", Duration.ofSeconds(15),
                    () -> DeliveryIT.deliveries(account, target, "?status=succeeded").size() == 2);
            assertEquals("unordered", line(account, target).getString("state"));
        }
    }

    @Test
    void replayedDeliveriesQueueBehindWhatIsWaitingInTheirOriginalOrder() throws Exception {
        List<String> first = messageIds(3);
        List<String> later = messageIds(2);
        Counting counting = new Counting(request -> Receiver.Answer.status(200));
        try (Receiver receiver = Receiver.answering(counting)) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            String target = fifoTarget(account, receiver.url(), "\"initialBackoffMs\":3000,\"maxBackoffMs\":3000");
            long since = System.currentTimeMillis() - 1;
            assertEquals(200, Meta.post(webhook(number, first)).status());
            Api.await("the first three delivered", Duration.ofSeconds(15),
                    () -> DeliveryIT.deliveries(account, target, "?status=succeeded").size() == 3);
            long until = System.currentTimeMillis() + 1;

            // The receiver fails now: the next event's delivery becomes a head that waits 3 s for its retry.
            counting.answers = request -> Receiver.Answer.status(500);
            Thread.sleep(5);
            assertEquals(200, Meta.post(webhook(number, later)).status());
            Api.await("the new head failed once", Duration.ofSeconds(15),
                    () -> line(account, target).getString("state").equals("retry_scheduled"));
            Api.Reply replay = Api.post(account.path("/webhook-targets/" + target + "/replay"), account.apiKey(),
                    "{\"since\":" + since + ",\"until\":" + until + "}");
            assertEquals(200, replay.status(), replay.body());
            assertEquals(3, replay.json().getInt("replayed"));
            assertEquals(4, line(account, target).getInt("waiting"), "the replayed three behind the one waiting");
            counting.answers = request -> Receiver.Answer.status(200);

            Api.await("everything delivered", Duration.ofSeconds(30),
                    () -> DeliveryIT.deliveries(account, target, "?status=succeeded").size() == 5);
            List<String> sinceTheFailure = new ArrayList<>();
            List<Receiver.Request> requests = receiver.requests();
            for (Receiver.Request request : requests.subList(3, requests.size())) {
                String id = messageId(request);
                if (sinceTheFailure.isEmpty() || !sinceTheFailure.get(sinceTheFailure.size() - 1).equals(id)) {
                    sinceTheFailure.add(id);
                }
            }
            List<String> expected = new ArrayList<>(later);
            expected.addAll(first);
            assertEquals(expected, sinceTheFailure, "what waited goes first, then the replayed ones in their order");
            assertEquals(1, counting.maxInFlight.get());
        }
    }

    @Test
    void orderingIsValidatedAndShown() {
        TestAccount account = TestAccounts.create();
        String url = "http://127.0.0.1:1/hook";
        for (String bad : List.of("\"FIFO\"", "\"sorted\"", "1", "null", "true")) {
            Api.Reply reply = Api.post(account.path("/webhook-targets"), account.apiKey(),
                    "{\"url\":\"" + url + "\",\"events\":[\"message.inbound.received\"],\"ordering\":" + bad + "}");
            assertEquals(400, reply.status(), bad + ": " + reply.body());
            assertTrue(reply.body().contains("ordering: must be \\\"fifo\\\" or \\\"unordered\\\""), reply.body());
        }
        JsonObject created = Api.post(account.path("/webhook-targets"), account.apiKey(),
                "{\"url\":\"" + url + "\",\"events\":[\"message.inbound.received\"]}").json();
        assertEquals("unordered", created.getString("ordering"), "unordered by default");
        JsonObject line = line(account, created.getString("id"));
        assertEquals("unordered", line.getString("state"), "an unordered target has no line");
        assertTrue(line.isNull("head"));
        assertEquals(0, line.getInt("waiting"));

        Api.Reply patched = Api.send("PATCH", account.path("/webhook-targets/" + created.getString("id")), account.apiKey(),
                "{\"ordering\":\"fifo\"}");
        assertEquals(200, patched.status(), patched.body());
        assertEquals("fifo", patched.json().getString("ordering"));
        assertEquals("empty", line(account, created.getString("id")).getString("state"));
    }

    static JsonObject line(TestAccount account, String targetId) {
        Api.Reply reply = Api.get(account.path("/webhook-targets/" + targetId + "/line"), account.apiKey());
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }
}
