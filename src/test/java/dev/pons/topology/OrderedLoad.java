package dev.pons.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import dev.pons.it.Meta;

/**
 * Meta webhooks in a known order to one target with an ordering or a rate limit, and what its
 * {@link LineReceiver} saw. Each webhook goes out only once the one before it was answered 200, so
 * the order Pons accepted them in is the order they were sent in; inside a webhook its messages keep
 * the order of Meta's array. A webhook that gets no 200 (a dead instance, a 503) is sent again, the
 * same body, to the next instance, as Meta would retry it behind a load balancer: Pons deduplicates it,
 * and it keeps its place, since nothing after it has been sent yet.
 */
final class OrderedLoad implements AutoCloseable {

    final String accountId;
    final String apiKey;
    final String number;
    final String targetId;
    final LineReceiver receiver;
    /** Message ids in the order Pons accepted them. */
    private final List<String> accepted = new ArrayList<>();
    private final Map<Integer, Integer> answers = new TreeMap<>();
    private int refused;
    private int sequence;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /**
     * An account, its number and one target created through {@code via}; {@code targetJson} adds the
     * target's ordering or rate limit (e.g. {@code "ordering":"fifo"}).
     */
    OrderedLoad(Client via, LineReceiver receiver, String targetJson) {
        this.receiver = receiver;
        Client.Reply account = via.post("/api/v1/accounts", Topology.ADMIN_TOKEN,
                "{\"name\":\"ordered " + run + "\"}");
        assertEquals(201, account.status(), account.toString());
        accountId = account.json().getString("id");
        apiKey = account.json().getString("apiKey");
        number = String.valueOf(100_000_000_000_000L + (long) (Math.random() * 899_999_999_999_999L));
        Client.Reply registered = via.post("/api/v1/accounts/" + accountId + "/numbers", Topology.ADMIN_TOKEN,
                "{\"phoneNumberId\":\"" + number + "\",\"displayPhoneNumber\":\"+15550783881\",\"accessToken\":\"EAAG-t\"}");
        assertEquals(201, registered.status(), registered.toString());
        // Short backoff: a head that failed during an outage is tried again within seconds.
        Client.Reply target = via.post("/api/v1/accounts/" + accountId + "/webhook-targets", apiKey,
                "{\"name\":\"ordered\",\"url\":\"" + receiver.url() + "\",\"events\":[\"message.inbound.received\"],"
                        + "\"maxAttempts\":20,\"timeoutMs\":2000,\"initialBackoffMs\":500,\"maxBackoffMs\":2000,"
                        + targetJson + "}");
        assertEquals(201, target.status(), target.toString());
        targetId = target.json().getString("id");
        receiver.secret(target.json().getString("signingSecret"));
    }

    /**
     * Sends {@code webhooks} webhooks of {@code messagesEach} messages (0: 1, 2, 3, 1, 2, 3, ...), one after
     * the other, to {@code instances} in turn; a webhook not answered 200 goes again to the next one until
     * it is, for up to {@code patience}.
     */
    void post(int webhooks, int messagesEach, Duration patience, Client... instances) throws InterruptedException {
        for (int w = 0; w < webhooks; w++) {
            int size = messagesEach > 0 ? messagesEach : 1 + w % 3;
            List<String> ids = new ArrayList<>();
            for (int m = 0; m < size; m++) {
                ids.add(String.format("wamid.ORDER%s.%05d", run, ++sequence));
            }
            byte[] body = body(number, ids).getBytes(StandardCharsets.UTF_8);
            long deadline = System.nanoTime() + patience.toNanos();
            for (int tried = 0; ; tried++) {
                int status = send(instances[(w + tried) % instances.length], body);
                synchronized (this) {
                    answers.merge(status, 1, Integer::sum);
                }
                if (status == 200) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "webhook " + w + " not accepted within " + patience
                        + "; answers so far " + answers);
                Thread.sleep(200);
            }
            synchronized (this) {
                accepted.addAll(ids);
            }
        }
    }

    private int send(Client instance, byte[] body) {
        HttpRequest request = instance.request("/webhooks/meta").timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", Meta.sign(body, Meta.APP_SECRET))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return Client.HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception connectionOrTimeout) {
            synchronized (this) {
                refused++;
            }
            return -1;
        }
    }

    /** Meta's inbound-text fixture for this number, with one message per id, in this order. */
    static String body(String number, List<String> ids) {
        JsonObject fixture = Json.createReader(new StringReader(Meta.fixture("inbound-text.json").replace(
                Meta.FIXTURE_NUMBER, number))).readObject();
        JsonObject value = fixture.getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0)
                .getJsonObject("value");
        JsonObject message = value.getJsonArray("messages").getJsonObject(0);
        JsonArrayBuilder messages = Json.createArrayBuilder();
        for (String id : ids) {
            messages.add(Json.createObjectBuilder(message).add("id", id));
        }
        JsonObject newValue = Json.createObjectBuilder(value).add("messages", messages).build();
        JsonObject change = Json.createObjectBuilder(fixture.getJsonArray("entry").getJsonObject(0).getJsonArray("changes")
                .getJsonObject(0)).add("value", newValue).build();
        JsonObject entry = Json.createObjectBuilder(fixture.getJsonArray("entry").getJsonObject(0))
                .add("changes", Json.createArrayBuilder().add(change)).build();
        return Json.createObjectBuilder(fixture).add("entry", Json.createArrayBuilder().add(entry)).build().toString();
    }

    synchronized List<String> accepted() {
        return List.copyOf(accepted);
    }

    synchronized String summary() {
        return accepted.size() + " messages accepted; answers " + answers + ", " + refused + " without an answer";
    }

    /** Messages that arrived at least once. */
    int arrived() {
        Set<String> seen = new HashSet<>();
        receiver.arrivals().forEach(a -> seen.add(a.waMessageId()));
        return seen.size();
    }

    /** Waits until every accepted message arrived, or fails saying how many did not. */
    void awaitAllArrived(Duration timeout) {
        Topology.await(() -> "every accepted message at the receiver: " + arrived() + " of " + accepted().size()
                + " arrived; " + summary(), timeout, () -> arrived() >= accepted().size()
                && firstArrivals().keySet().containsAll(accepted()));
    }

    /** Each message's first arrival, in arrival order. */
    Map<String, LineReceiver.Arrival> firstArrivals() {
        Map<String, LineReceiver.Arrival> first = new LinkedHashMap<>();
        for (LineReceiver.Arrival arrival : receiver.arrivals()) {
            first.putIfAbsent(arrival.waMessageId(), arrival);
        }
        return first;
    }

    /**
     * Every accepted message arrived, nothing else did, the first arrivals follow the acceptance order,
     * never two requests were in flight at once, a message's repeats came under its one delivery id, and
     * every signature verifies. Returns the number of repeats (at least once allows them).
     */
    int assertInOrderOneAtATime() {
        List<String> expected = accepted();
        List<LineReceiver.Arrival> arrivals = receiver.arrivals();
        Map<String, LineReceiver.Arrival> first = firstArrivals();
        assertEquals(Set.copyOf(expected), first.keySet(), "the messages that arrived are those accepted");
        List<String> order = new ArrayList<>(first.keySet());
        for (int i = 0; i < expected.size(); i++) {
            if (!expected.get(i).equals(order.get(i))) {
                throw new AssertionError("first arrivals out of acceptance order at position " + i + ": expected "
                        + expected.get(i) + ", got " + order.get(i) + "\n" + around(arrivals, first.get(order.get(i)).seq()));
            }
        }
        assertEquals(List.of(), receiver.overlaps(), "two requests in flight at once");
        assertEquals(1, receiver.maxInFlight(), "requests in flight at once at most");
        Map<String, Set<String>> deliveryIds = new HashMap<>();
        for (LineReceiver.Arrival arrival : arrivals) {
            assertTrue(arrival.signatureOk(), "signature verifies: " + arrival);
            deliveryIds.computeIfAbsent(arrival.waMessageId(), m -> new HashSet<>()).add(arrival.deliveryId());
        }
        deliveryIds.forEach((message, ids) -> assertEquals(1, ids.size(), message + " arrived under " + ids));
        return arrivals.size() - first.size();
    }

    /** The arrivals around one, for a failure message. */
    static String around(List<LineReceiver.Arrival> arrivals, int seq) {
        StringBuilder out = new StringBuilder();
        for (int i = Math.max(0, seq - 5); i < Math.min(arrivals.size(), seq + 5); i++) {
            out.append(i == seq ? " > " : "   ").append(arrivals.get(i)).append('\n');
        }
        return out.toString();
    }

    /** Requests per sending instance. */
    Map<String, Integer> senders() {
        Map<String, Integer> senders = new TreeMap<>();
        receiver.arrivals().forEach(a -> senders.merge(a.sender(), 1, Integer::sum));
        return senders;
    }

    @Override
    public void close() {
        receiver.close();
    }
}
