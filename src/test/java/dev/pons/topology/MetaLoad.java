package dev.pons.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.pons.it.Meta;
import dev.pons.it.Receiver;
import dev.pons.it.Verifier;

/**
 * Plays Meta against one or more instances at a steady rate (one signed inbound message per POST, sent to
 * the instances in turn) and checks the outcome at real receivers: an account with one number and several
 * targets, each a {@link Receiver} answering 200. Only webhooks answered 200 count as accepted: a refused
 * connection, a timeout or a 503 is what Meta retries later.
 */
final class MetaLoad implements AutoCloseable {

    final String accountId;
    final String apiKey;
    final String number;
    final List<Receiver> receivers = new ArrayList<>();
    final List<String> secrets = new ArrayList<>();

    private final Map<String, Long> accepted = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final Map<Integer, String> sampleBodies = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> acceptedBy = new ConcurrentHashMap<>();
    private final AtomicInteger connectionFailures = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService ticker;

    /** Creates the account, its number and {@code targets} targets through {@code via}. */
    MetaLoad(Client via, int targets) throws Exception {
        Client.Reply account = via.post("/api/v1/accounts", Topology.ADMIN_TOKEN,
                "{\"name\":\"topology " + UUID.randomUUID() + "\"}");
        assertEquals(201, account.status(), account.toString());
        accountId = account.json().getString("id");
        apiKey = account.json().getString("apiKey");
        number = String.valueOf(100_000_000_000_000L + (long) (Math.random() * 899_999_999_999_999L));
        // As the operator: the topology's servers have no Cloud API to prove a number with.
        Client.Reply registered = via.post("/api/v1/accounts/" + accountId + "/numbers", Topology.ADMIN_TOKEN,
                "{\"phoneNumberId\":\"" + number + "\",\"displayPhoneNumber\":\"+15550783881\",\"accessToken\":\"EAAG-t\"}");
        assertEquals(201, registered.status(), registered.toString());
        for (int i = 0; i < targets; i++) {
            Receiver receiver = Receiver.answering(200);
            receivers.add(receiver);
            // Short backoff: deliveries that failed during an outage come back within seconds.
            Client.Reply target = via.post("/api/v1/accounts/" + accountId + "/webhook-targets", apiKey,
                    "{\"name\":\"receiver " + i + "\",\"url\":\"" + receiver.url() + "\","
                            + "\"events\":[\"message.inbound.received\"],\"maxAttempts\":20,\"timeoutMs\":2000,"
                            + "\"initialBackoffMs\":500,\"maxBackoffMs\":2000}");
            assertEquals(201, target.status(), target.toString());
            secrets.add(target.json().getString("signingSecret"));
        }
    }

    /** Sends {@code perSecond} webhooks a second, to the instances in turn, until {@link #stop()}. */
    void start(int perSecond, Client... instances) {
        ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(() -> {
            try {
                send(instances[(int) (sent.getAndIncrement() % instances.length)]);
            } catch (RuntimeException e) {
                // A failing tick must not end the schedule (scheduleAtFixedRate stops at the first exception).
                connectionFailures.incrementAndGet();
            }
        }, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
    }

    private void send(Client instance) {
        String body = Meta.fresh("inbound-text.json", number);
        String wamid = body.substring(body.indexOf("\"id\":\"wamid.") + 6, body.indexOf('"', body.indexOf("\"id\":\"wamid.") + 6));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = instance.request("/webhooks/meta").timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", Meta.sign(bytes, Meta.APP_SECRET))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        CompletableFuture<HttpResponse<String>> future = Client.HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        inFlight.add(future);
        future.whenComplete((response, failure) -> {
            if (response != null) {
                statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                sampleBodies.putIfAbsent(response.statusCode(), response.headers().firstValue("Content-Type").orElse("")
                        + " " + response.body());
                if (response.statusCode() == 200) {
                    accepted.put(wamid, System.currentTimeMillis());
                    acceptedBy.computeIfAbsent(instance.base, b -> new AtomicInteger()).incrementAndGet();
                }
            } else {
                connectionFailures.incrementAndGet();
            }
            inFlight.remove(future);
        });
    }

    /** Stops sending and waits for the answers of what is in flight. */
    void stop() throws InterruptedException {
        ticker.shutdownNow();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        Topology.await("answers to the last webhooks", Duration.ofSeconds(30), inFlight::isEmpty);
    }

    int accepted() {
        return accepted.size();
    }

    int acceptedBy(Client instance) {
        AtomicInteger count = acceptedBy.get(instance.base);
        return count == null ? 0 : count.get();
    }

    /** Requests the receivers got so far (cheap: no parsing). */
    int deliveries() {
        return receivers.stream().mapToInt(r -> r.requests().size()).sum();
    }

    int status(int status) {
        AtomicInteger count = statuses.get(status);
        return count == null ? 0 : count.get();
    }

    String summary() {
        return "sent " + sent.get() + ", answered " + new TreeMap<>(statuses) + ", no answer (connection) "
                + connectionFailures.get() + ", accepted " + accepted.size();
    }

    Map<Integer, String> sampleBodies() {
        return sampleBodies;
    }

    /** The set of statuses answered, e.g. to prove nothing but 200 and 503 came back. */
    Set<Integer> statuses() {
        return new HashSet<>(statuses.keySet());
    }

    // ------------------------------------------------------------------------------------------ outcome

    /** What the receivers saw: per target, the first arrival of each message id, and every delivery id per event. */
    final class Seen {
        final List<Map<String, Long>> firstArrival = new ArrayList<>();
        final List<Map<String, Set<String>>> deliveryIdsPerEvent = new ArrayList<>();
        int requests;
        int badSignatures;

        Seen() {
            for (int i = 0; i < receivers.size(); i++) {
                Map<String, Long> first = new HashMap<>();
                Map<String, Set<String>> deliveryIds = new HashMap<>();
                for (Receiver.Request request : receivers.get(i).requests()) {
                    requests++;
                    if (!Verifier.verifies(secrets.get(i), request)) {
                        badSignatures++;
                    }
                    JsonObject envelope = Json.createReader(new StringReader(
                            new String(request.body(), StandardCharsets.UTF_8))).readObject();
                    first.merge(envelope.getJsonObject("payload").getString("waMessageId"), request.receivedAt(), Math::min);
                    deliveryIds.computeIfAbsent(request.header("X-Pons-Event-Id"), e -> new HashSet<>())
                            .add(request.header("X-Pons-Delivery-Id"));
                }
                firstArrival.add(first);
                deliveryIdsPerEvent.add(deliveryIds);
            }
        }

        /** Accepted webhooks not yet at every target. */
        int missing() {
            int missing = 0;
            for (Map<String, Long> first : firstArrival) {
                for (String wamid : accepted.keySet()) {
                    if (!first.containsKey(wamid)) {
                        missing++;
                    }
                }
            }
            return missing;
        }

        /** When the last accepted webhook reached its last target. */
        long completedAt() {
            long last = 0;
            for (Map<String, Long> first : firstArrival) {
                for (String wamid : accepted.keySet()) {
                    last = Math.max(last, first.get(wamid));
                }
            }
            return last;
        }

        /** Requests beyond the first per (event, target): retries after a lost answer, or re-driven claims. */
        int duplicates() {
            int distinct = 0;
            for (Map<String, Set<String>> perEvent : deliveryIdsPerEvent) {
                distinct += perEvent.size();
            }
            return requests - distinct;
        }

        /** Fails unless every duplicate came under the same delivery id and every signature verifies. */
        void assertClean() {
            assertEquals(0, badSignatures, "deliveries whose signature does not verify");
            for (Map<String, Set<String>> perEvent : deliveryIdsPerEvent) {
                perEvent.forEach((event, ids) -> assertEquals(1, ids.size(), event + " arrived under " + ids));
            }
        }
    }

    Seen seen() {
        return new Seen();
    }

    /**
     * Waits until every accepted webhook reached every target; returns what the receivers saw then, or fails
     * saying how many are missing.
     */
    Seen awaitAllDelivered(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Seen seen = seen();
            if (seen.missing() == 0) {
                return seen;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(seen.missing() + " (webhook, target) pairs of " + accepted.size() * receivers.size()
                        + " accepted not delivered within " + timeout + "; " + summary());
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        receivers.forEach(Receiver::close);
    }

    static void assertAtLeast(int minimum, int actual, String what) {
        assertTrue(actual >= minimum, what + ": " + actual + " < " + minimum);
    }
}
