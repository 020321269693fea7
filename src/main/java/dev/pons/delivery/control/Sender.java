package dev.pons.delivery.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.UserAgent;
import dev.pons.targets.control.Targets;

/**
 * The signed POST itself, headers and signatures included. Redirects are never followed (a 3xx is a failure), at most 64 KiB of the
 * answer is read, and every way a request can fail becomes an {@link Outcome}, never an exception.
 * How many run at once, per target and per instance, is {@link Lanes}' business.
 */
@ApplicationScoped
public class Sender {

    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    static final int MAX_SNIPPET_CHARS = 1000;
    /** Above the largest per-target timeout (60 s). */
    static final Duration CEILING = Duration.ofSeconds(75);

    @Resource
    ManagedThreadFactory threadFactory;

    @Inject
    Clock clock;

    @Inject
    Targets targets;

    private ExecutorService clientThreads;
    private ScheduledThreadPoolExecutor watchdog;
    private HttpClient client;

    /**
     * The client gets threads of its own (managed ones), not the server's default
     * ManagedExecutorService: the delivery listeners run on that pool, and under load every thread of
     * it would sit in {@code send()} waiting for a completion task queued behind them, deadlocking the
     * server.
     */
    @PostConstruct
    void init() {
        clientThreads = Executors.newCachedThreadPool(threadFactory);
        watchdog = new ScheduledThreadPoolExecutor(1, threadFactory);
        watchdog.setRemoveOnCancelPolicy(true);
        client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(clientThreads)
                .build();
    }

    @PreDestroy
    void close() {
        clientThreads.shutdownNow();
        watchdog.shutdownNow();
    }

    /**
     * One attempt of a claimed delivery: its URL checked again (its host name is resolved anew), then
     * the signed POST. A refused URL, or secrets that do not open, is a failed attempt, like any other.
     */
    public CompletableFuture<Outcome> attempt(Claim claim) {
        long now = clock.millis();
        if (claim.unsendable() != null) {
            return CompletableFuture.completedFuture(new Outcome(now, 0, null, "not sent: " + claim.unsendable(), null, null));
        }
        try {
            targets.urlPolicy().checkAtDelivery(claim.url());
        } catch (DomainException refused) {
            return CompletableFuture.completedFuture(
                    new Outcome(now, 0, null, "url refused: " + String.join("; ", refused.details()), null, null));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Outcome(now, 0, null, "not sent: " + e, null, null));
        }
        return post(claim.url(), claim.body(), headers(claim, clock.millis()), claim.timeoutMs());
    }

    /**
     * The headers of one attempt. Both signature schemes sign the same instant: {@code webhook-timestamp}
     * is {@code X-Pons-Timestamp} in whole seconds, so a receiver may check either and see one time.
     */
    static Map<String, String> headers(Claim claim, long timestamp) {
        // The target's own first: their names never collide with the ones below (CustomHeaders refuses them).
        Map<String, String> headers = new LinkedHashMap<>(claim.headers());
        headers.put("X-Pons-Event-Id", claim.eventId());
        headers.put("X-Pons-Event-Type", claim.eventType());
        headers.put("X-Pons-Delivery-Id", claim.deliveryId());
        headers.put("X-Pons-Attempt", String.valueOf(claim.attemptNumber()));
        headers.put("X-Pons-Timestamp", String.valueOf(timestamp));
        headers.put("X-Pons-Signature", Signer.sign(claim.secret(), timestamp, claim.body()));
        if (claim.previousSecret() != null) {
            headers.put("X-Pons-Signature-Previous", Signer.sign(claim.previousSecret(), timestamp, claim.body()));
        }
        long seconds = Math.floorDiv(timestamp, 1000);
        headers.put("webhook-id", claim.deliveryId());
        headers.put("webhook-timestamp", String.valueOf(seconds));
        headers.put("webhook-signature", StandardSigner.signature(claim.secret(), claim.previousSecret(),
                claim.deliveryId(), seconds, claim.body()));
        return headers;
    }

    /**
     * POSTs on one of the client's threads; the stage always completes with an outcome, never
     * exceptionally. A thread waits for each answer: {@code sendAsync} would hand every response to
     * the JDK's default async pool, which on a 2-core machine starts a new thread per response.
     */
    public CompletableFuture<Outcome> post(URI url, byte[] body, Map<String, String> headers, int timeoutMs) {
        try {
            return CompletableFuture.supplyAsync(() -> send(url, body, headers, timeoutMs), clientThreads);
        } catch (RejectedExecutionException stopping) {
            return CompletableFuture.completedFuture(new Outcome(clock.millis(), 0, null,
                    "not sent: the server is stopping", null, null));
        }
    }

    private Outcome send(URI url, byte[] body, Map<String, String> headers, int timeoutMs) {
        long startedAt = clock.millis();
        long start = System.nanoTime();
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofMillis(timeoutMs))
                .header("Content-Type", "application/json")
                .header("User-Agent", UserAgent.VALUE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            // The request timeout ends with the headers; a body trickling in gets what is left of it.
            long left = Math.max(1, timeoutMs - (System.nanoTime() - start) / 1_000_000);
            InputStream in = response.body();
            AtomicBoolean cut = new AtomicBoolean();
            ScheduledFuture<?> cutoff = watchdog.schedule(() -> {
                cut.set(true);
                closeQuietly(in);
            }, left, TimeUnit.MILLISECONDS);
            String snippet;
            try {
                snippet = readSnippet(in);
            } catch (IOException e) {
                if (cut.get()) {
                    return failure(startedAt, start, "timeout: the answer did not end within " + timeoutMs + " ms");
                }
                throw e;
            } finally {
                cutoff.cancel(false);
            }
            long latency = (System.nanoTime() - start) / 1_000_000;
            Long retryAfter = retryAfterMs(response);
            return new Outcome(startedAt, latency, response.statusCode(), null, snippet, retryAfter);
        } catch (HttpConnectTimeoutException e) {
            return failure(startedAt, start, "connect timeout after " + timeoutMs + " ms");
        } catch (HttpTimeoutException e) {
            return failure(startedAt, start, "timeout: no answer within " + timeoutMs + " ms");
        } catch (ConnectException e) {
            return failure(startedAt, start, "connection refused");
        } catch (SSLException e) {
            return failure(startedAt, start, "TLS failure: " + e.getMessage());
        } catch (IOException e) {
            return failure(startedAt, start, "connection failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(startedAt, start, "interrupted");
        } catch (IllegalArgumentException e) {
            return failure(startedAt, start, "invalid request: " + e.getMessage());
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the read it interrupts reports the failure
        }
    }

    private static Outcome failure(long startedAt, long start, String error) {
        return new Outcome(startedAt, (System.nanoTime() - start) / 1_000_000, null, error, null, null);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + message;
    }

    /** Reads at most 64 KiB and closes: a target that streams forever cannot hold a worker. */
    private static String readSnippet(InputStream body) throws IOException {
        try (InputStream in = body) {
            byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES);
            String text = new String(bytes, StandardCharsets.UTF_8);
            return text.length() > MAX_SNIPPET_CHARS ? text.substring(0, MAX_SNIPPET_CHARS) : text;
        }
    }

    private static Long retryAfterMs(HttpResponse<?> response) {
        if (response.statusCode() != 429 && response.statusCode() != 503) {
            return null;
        }
        return response.headers().firstValue("Retry-After").map(String::strip).filter(v -> v.matches("\\d{1,9}"))
                .map(seconds -> Long.parseLong(seconds) * 1000).orElse(null);
    }
}
