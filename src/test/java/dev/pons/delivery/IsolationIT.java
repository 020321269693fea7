package dev.pons.delivery;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.Meta;
import dev.pons.it.MetricsEndpoint;
import dev.pons.it.Receiver;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/**
 * Tenants share one server: one account's slow, hanging or refusing endpoints must neither delay another
 * account's deliveries nor keep the server busy shuffling a backlog that cannot be sent.
 */
class IsolationIT {

    /** Messages per webhook when piling up a backlog: few POSTs, each far below the body limit. */
    static final int MESSAGES_PER_WEBHOOK = 50;

    /** The promise: a healthy delivery arrives within this of Meta's webhook being answered 200. */
    static final long HEALTHY_LATENCY_MS = 1_000;

    /** Long enough to tell a latency that misses the promise from one that never comes. */
    static final Duration ARRIVAL_CAP = Duration.ofSeconds(20);

    /** How long a failing target's backlog is watched once its circuit is open. */
    static final long WATCH_MS = 5_000;

    /** A backlog parked in the database is not re-queued; a few deliveries taken before the circuit opened may be. */
    static final double MAX_DEFERRED_WHILE_WATCHING = 20;

    /** An open circuit sends one probe per backoff interval, not one per delivery in the backlog. */
    static final int MAX_PROBES_WHILE_WATCHING = 5;

    static final String DEFERRED_METRIC = "pons_delivery_deferred_total";

    @Test
    void slowEndpointsOfOneTenantDoNotDelayAnother() throws Exception {
        int backlogPerTarget = 300;
        try (Receiver slowFirst = Receiver.answering(IsolationIT::slowOk);
             Receiver slowSecond = Receiver.answering(IsolationIT::slowOk);
             Receiver healthy = Receiver.answering(200)) {
            TestAccount a = TestAccounts.create();
            String aNumber = TestAccounts.registerNumber(a, TestAccounts.newPhoneNumberId());
            List<String> aTargets = List.of(
                    DeliveryIT.target(a, slowFirst.url(), "\"timeoutMs\":2000").id(),
                    DeliveryIT.target(a, slowSecond.url(), "\"timeoutMs\":2000").id());
            try {
                Tenant b = healthyTenant(healthy);
                pileUpDeliveries(aNumber, backlogPerTarget);
                Api.await("both of A's slow endpoints busy", Duration.ofSeconds(20),
                        () -> !slowFirst.requests().isEmpty() && !slowSecond.requests().isEmpty());

                // Spaced out, so each one meets A's backlog in a different state.
                Map<String, Long> acceptedAt = new LinkedHashMap<>();
                for (int i = 0; i < 5; i++) {
                    if (i > 0) {
                        Thread.sleep(1_500);
                    }
                    String wamid = freshWamid();
                    acceptedAt.put(wamid, accept(b.number(), wamid));
                }
                List<Long> latencies = timeDeliveries(healthy, acceptedAt);

                report("B's latencies behind A's slow backlog (ms)", latencies);
                int aAnswered = slowFirst.requests().size() + slowSecond.requests().size();
                assertTrue(aAnswered < 2 * backlogPerTarget,
                        "A's backlog was still pending while B's events were measured: " + aAnswered + " sent");
                assertTrue(latencies.stream().allMatch(IsolationIT::withinPromise),
                        "each of B's deliveries arrives within " + HEALTHY_LATENCY_MS + " ms of Meta's 200 (ms, null:"
                                + " none within " + ARRIVAL_CAP.toMillis() + " ms): " + latencies);
            } finally {
                aTargets.forEach(id -> retire(a, id));
            }
        }
    }

    @Test
    void aHangingEndpointsBacklogWaitsInTheDatabase() throws Exception {
        try (Receiver hanging = Receiver.answering(request -> Receiver.Answer.never());
             Receiver healthy = Receiver.answering(200)) {
            TestAccount c = TestAccounts.create();
            String cNumber = TestAccounts.registerNumber(c, TestAccounts.newPhoneNumberId());
            String target = DeliveryIT.target(c, hanging.url(), "\"timeoutMs\":1000").id();
            try {
                // Requests reaching the receiver: an attempt that hangs is counted when it starts.
                backlogWaitsInTheDatabase(c, cNumber, target, () -> hanging.requests().size(), healthyTenant(healthy));
            } finally {
                retire(c, target);
            }
        }
    }

    @Test
    void aRefusingEndpointsBacklogWaitsInTheDatabase() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (Receiver healthy = Receiver.answering(200)) {
            TestAccount c = TestAccounts.create();
            String cNumber = TestAccounts.registerNumber(c, TestAccounts.newPhoneNumberId());
            String target = DeliveryIT.target(c, "http://127.0.0.1:" + closedPort + "/hook", "\"timeoutMs\":1000").id();
            try {
                // Nothing listens to count requests, and every attempt fails: the failure count counts them.
                backlogWaitsInTheDatabase(c, cNumber, target, () -> consecutiveFailures(c, target),
                        healthyTenant(healthy));
            } finally {
                retire(c, target);
            }
        }
    }

    /**
     * Piles up a thousand deliveries for a target that fails every attempt, waits until its failures
     * open its circuit, then watches it for a few seconds: the backlog must stay in the database (the
     * deferral counter barely moves), the target gets only probes, and another tenant is served at once.
     */
    private static void backlogWaitsInTheDatabase(TestAccount c, String cNumber, String target, IntSupplier attempts,
                                                  Tenant b) throws Exception {
        pileUpDeliveries(cNumber, 1_000);
        Api.await("the target failing", Duration.ofSeconds(30), () -> consecutiveFailures(c, target) >= 3);

        long watchStart = System.currentTimeMillis();
        double deferredBefore = deferredSoFar();
        int attemptsBefore = attempts.getAsInt();
        Thread.sleep(1_000);
        String wamid = freshWamid();
        Map<String, Long> acceptedAt = Map.of(wamid, accept(b.number(), wamid));
        Thread.sleep(Math.max(0, watchStart + WATCH_MS - System.currentTimeMillis()));
        double deferred = deferredSoFar() - deferredBefore;
        int probes = attempts.getAsInt() - attemptsBefore;
        long watched = System.currentTimeMillis() - watchStart;
        Long latency = timeDeliveries(b.receiver(), acceptedAt).get(0);
        // Few deferrals prove nothing about a backlog that is gone.
        boolean backlogLeft = !DeliveryIT.deliveries(c, target, "?status=pending&limit=1").isEmpty();

        report("over " + watched + " ms: deferred, attempts to the failing target, B's latency (ms)",
                List.of(deferred, probes, String.valueOf(latency)));
        assertAll(
                () -> assertTrue(backlogLeft, "the failing target's deliveries were still pending"),
                () -> assertTrue(deferred <= MAX_DEFERRED_WHILE_WATCHING, DEFERRED_METRIC + " rose by " + deferred
                        + " in " + watched + " ms while the backlog should wait in the database"),
                () -> assertTrue(probes <= MAX_PROBES_WHILE_WATCHING, "the failing target got " + probes
                        + " attempts in " + watched + " ms, not just probes"),
                () -> assertTrue(withinPromise(latency), "B's delivery arrived " + (latency == null
                        ? "not within " + ARRIVAL_CAP.toMillis() : latency) + " ms after Meta's 200"));
    }

    /** An account with its own number and one endpoint that answers 200 at once. */
    private record Tenant(String number, Receiver receiver) {
    }

    private static Tenant healthyTenant(Receiver healthy) {
        TestAccount b = TestAccounts.create();
        String number = TestAccounts.registerNumber(b, TestAccounts.newPhoneNumberId());
        DeliveryIT.target(b, healthy.url(), "");
        return new Tenant(number, healthy);
    }

    private static Receiver.Answer slowOk(Receiver.Request request) {
        try {
            Thread.sleep(1_600);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Receiver.Answer.status(200);
    }

    /**
     * Inbound messages for {@code number}, in webhooks of {@link #MESSAGES_PER_WEBHOOK}: each answered 200,
     * so each message's deliveries (one per subscribed target) are committed and pending.
     */
    static void pileUpDeliveries(String number, int messages) {
        for (int sent = 0; sent < messages; sent += MESSAGES_PER_WEBHOOK) {
            List<String> wamids = new ArrayList<>();
            for (int i = sent; i < Math.min(messages, sent + MESSAGES_PER_WEBHOOK); i++) {
                wamids.add(freshWamid());
            }
            Api.Reply reply = Meta.post(inboundWebhook(number, wamids));
            assertEquals(200, reply.status(), reply.body());
        }
    }

    /** One webhook as Meta batches them: the inbound-text fixture with one message per id. */
    private static String inboundWebhook(String number, List<String> wamids) {
        JsonObject fixture = Json.createReader(new StringReader(Meta.fresh("inbound-text.json", number))).readObject();
        String pointer = "/entry/0/changes/0/value/messages";
        JsonObject message = Json.createPointer(pointer + "/0").getValue(fixture).asJsonObject();
        JsonArrayBuilder messages = Json.createArrayBuilder();
        for (String wamid : wamids) {
            messages.add(Json.createObjectBuilder(message).add("id", wamid));
        }
        return Json.createPatchBuilder().replace(pointer, messages.build()).build().apply(fixture).toString();
    }

    private static String freshWamid() {
        return "wamid.isolation-" + UUID.randomUUID();
    }

    /** Posts one inbound message for {@code number}; answers when Meta's POST was answered 200. */
    private static long accept(String number, String wamid) {
        Api.Reply reply = Meta.post(inboundWebhook(number, List.of(wamid)));
        long acceptedAt = System.currentTimeMillis();
        assertEquals(200, reply.status(), reply.body());
        return acceptedAt;
    }

    /**
     * Waits for the deliveries of these messages (by WhatsApp id, with when Meta's POST was answered)
     * and answers each one's latency in order; null for one that did not come within the cap.
     */
    private static List<Long> timeDeliveries(Receiver receiver, Map<String, Long> acceptedAt) throws InterruptedException {
        long deadline = System.nanoTime() + ARRIVAL_CAP.toNanos();
        Map<String, Long> arrivedAt = Map.of();
        while (System.nanoTime() < deadline) {
            arrivedAt = receiver.requests().stream().collect(Collectors.toMap(
                    request -> DeliveryIT.json(request.body()).getJsonObject("payload").getString("waMessageId"),
                    Receiver.Request::receivedAt, Math::min));
            if (arrivedAt.keySet().containsAll(acceptedAt.keySet())) {
                break;
            }
            Thread.sleep(20);
        }
        List<Long> latencies = new ArrayList<>();
        for (Map.Entry<String, Long> accepted : acceptedAt.entrySet()) {
            Long arrived = arrivedAt.get(accepted.getKey());
            latencies.add(arrived == null ? null : arrived - accepted.getValue());
        }
        return latencies;
    }

    private static boolean withinPromise(Long latency) {
        return latency != null && latency < HEALTHY_LATENCY_MS;
    }

    private static int consecutiveFailures(TestAccount account, String targetId) {
        Api.Reply reply = Api.get(account.path("/webhook-targets/" + targetId), account.apiKey());
        assertEquals(200, reply.status(), reply.body());
        return reply.json().getInt("consecutiveFailures");
    }

    /** The server's deferral counter: every line of the metric summed, whatever its labels. */
    private static double deferredSoFar() {
        return metricSum(DEFERRED_METRIC);
    }

    /** The sum of every line of one metric in the Prometheus text; a missing metric fails the test. */
    static double metricSum(String metric) {
        Api.Reply metrics = MetricsEndpoint.scrape("application");
        assertEquals(200, metrics.status(), metrics.body());
        double sum = 0;
        int lines = 0;
        for (String line : metrics.body().split("\n")) {
            String rest;
            if (line.startsWith(metric + "{")) {
                rest = line.substring(line.indexOf('}') + 1);
            } else if (line.startsWith(metric + " ")) {
                rest = line.substring(metric.length());
            } else {
                continue;
            }
            sum += Double.parseDouble(rest.trim().split("\\s+")[0]);
            lines++;
        }
        assertTrue(lines > 0, metric + " missing from the metrics:\n" + metrics.body());
        return sum;
    }

    /** Deletes a target, its deliveries with it, so its backlog does not slow the tests after this one. */
    static void retire(TestAccount account, String targetId) {
        Api.Reply deleted = Api.send("DELETE", account.path("/webhook-targets/" + targetId), account.apiKey(), null);
        if (deleted.status() != 204) {
            Api.Reply disabled = Api.send("PATCH", account.path("/webhook-targets/" + targetId), account.apiKey(),
                    "{\"enabled\":false}");
            System.out.println("IsolationIT: target " + targetId + " not deleted (" + deleted + "), disabling: " + disabled);
        }
    }

    private static void report(String what, List<?> numbers) {
        System.out.println("IsolationIT: " + what + ": " + numbers);
    }
}
