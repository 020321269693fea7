package dev.pons.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;

/**
 * The load generator: one JDK {@link HttpClient} that POSTs signed Meta bodies either to Pons'
 * {@code /webhooks/meta} or, for the raw limit, straight to the receivers — the same bodies, the same
 * headers, the same client, so the two are comparable. Remembers when each message left (epoch µs).
 */
public final class LoadGenerator {

    /** When a message (service) or a message to one receiver (raw) was sent, and how many events its POST carried. */
    public record Sent(long micros, int events) {
    }

    private static final ExecutorService ASYNC = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "loadgen-async");
        t.setDaemon(true);
        return t;
    });
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(ASYNC)
            .build();

    private final URI metaEndpoint;
    /** Service: message id; raw: message id + '#' + receiver index. */
    final Map<String, Sent> sent = new ConcurrentHashMap<>();
    final Set<String> rejected = ConcurrentHashMap.newKeySet();
    final AtomicLong acceptedEvents = new AtomicLong();
    final AtomicLong posts = new AtomicLong();
    final AtomicLong postErrors = new AtomicLong();
    private final List<CompletableFuture<?>> inFlight = new ArrayList<>();

    public LoadGenerator(String baseUrl) {
        this.metaEndpoint = URI.create(baseUrl + "/webhooks/meta");
    }

    private static HttpRequest request(URI uri, MetaTraffic.Batch batch) {
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", batch.signature())
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body()))
                .build();
    }

    // ---------------------------------------------------------------- to Pons

    private void sentToService(MetaTraffic.Batch batch, long micros) {
        Sent at = new Sent(micros, batch.events());
        for (String id : batch.messageIds()) {
            sent.put(id, at);
        }
        posts.incrementAndGet();
    }

    private void answeredByService(MetaTraffic.Batch batch, int status) {
        if (status == 200) {
            acceptedEvents.addAndGet(batch.events());
        } else {
            postErrors.incrementAndGet();
            rejected.addAll(batch.messageIds());
        }
    }

    public void postToService(MetaTraffic.Batch batch) {
        HttpRequest request = request(metaEndpoint, batch);
        sentToService(batch, ReceiverMain.micros());
        int status;
        try {
            status = CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            status = -1;
        }
        answeredByService(batch, status);
    }

    public void postToServiceAsync(MetaTraffic.Batch batch) {
        HttpRequest request = request(metaEndpoint, batch);
        sentToService(batch, ReceiverMain.micros());
        CompletableFuture<?> future = CLIENT.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    answeredByService(batch, error == null ? response.statusCode() : -1);
                    return null;
                });
        synchronized (inFlight) {
            inFlight.add(future);
        }
    }

    // ---------------------------------------------------------------- raw: straight to the receivers

    public void postRaw(MetaTraffic.Batch batch, int receiver, URI url) {
        postRaw(batch, receiver, url, ReceiverMain.micros());
    }

    /** As above, for a POST that waited for a sender since {@code offeredMicros}: its latency counts from then. */
    public void postRaw(MetaTraffic.Batch batch, int receiver, URI url, long offeredMicros) {
        HttpRequest request = request(url, batch);
        sent.put(batch.first() + "#" + receiver, new Sent(offeredMicros, batch.events()));
        posts.incrementAndGet();
        try {
            int status = CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                postErrors.incrementAndGet();
            }
        } catch (Exception e) {
            postErrors.incrementAndGet();
        }
    }

    /** Waits for the asynchronous POSTs still on their way. */
    public void awaitInFlight(Duration timeout) {
        CompletableFuture<?>[] all;
        synchronized (inFlight) {
            all = inFlight.toArray(CompletableFuture[]::new);
            inFlight.clear();
        }
        try {
            CompletableFuture.allOf(all).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // counted as errors by their handlers, or still hanging: nothing more to wait for
        }
    }

    // ---------------------------------------------------------------- pacing

    /**
     * Closed loop: {@code threads} senders, each running {@code step} back to back until the time is up,
     * holding back while {@code mayProceed} says so (too much outstanding).
     */
    public static void closedLoop(int threads, double seconds, BooleanSupplier mayProceed, Consumer<RandomGenerator> step) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        closedLoop(threads, () -> System.nanoTime() < end, mayProceed, step);
    }

    /** Closed loop while {@code more} holds. */
    public static void closedLoop(int threads, BooleanSupplier more, BooleanSupplier mayProceed,
                                  Consumer<RandomGenerator> step) {
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> {
                RandomGenerator random = ThreadLocalRandom.current();
                while (more.getAsBoolean()) {
                    if (!mayProceed.getAsBoolean()) {
                        LockSupport.parkNanos(1_000_000);
                        continue;
                    }
                    step.accept(random);
                }
            }, "loadgen-" + i);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Open loop at a fixed event rate: {@code fire} sends whatever is due now and answers how many
     * events that was; the next send is due {@code events / rate} seconds later, whatever happened to
     * the previous ones. Stops early, answering the seconds it ran, when {@code overloaded} says the
     * other side cannot keep up (so a hopeless rate does not leave a backlog for the next scenario).
     */
    public static double fixedRate(double eventsPerSecond, double seconds, BooleanSupplier overloaded,
                                   ToIntFunction<RandomGenerator> fire) {
        RandomGenerator random = ThreadLocalRandom.current();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        double next = start;
        while (next < end) {
            long wait = (long) next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (overloaded.getAsBoolean()) {
                return (System.nanoTime() - start) / 1e9;
            }
            int events = fire.applyAsInt(random);
            next += Math.max(1, events) / eventsPerSecond * 1e9;
        }
        // The last batch's events take their share of the time to the end: the load ran its full length,
        // however early a batch of 50 was sent.
        long rest = end - System.nanoTime();
        if (rest > 0) {
            LockSupport.parkNanos(rest);
        }
        return seconds;
    }
}
