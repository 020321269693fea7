package dev.pons.delivery.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
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
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.UserAgent;
import dev.pons.targets.control.TargetUrlPolicy;
import dev.pons.targets.control.Targets;

/**
 * The signed POST itself, headers and signatures included. Redirects are never followed (a 3xx is a failure), at most 64 KiB of the
 * answer is read, and every way a request can fail becomes an {@link Outcome}, never an exception.
 * How many run at once, per target and per instance, is {@link Lanes}' business.
 *
 * <p>The client is Apache HttpClient (classic, HTTP/1.1 with keep-alive), not the JDK's {@code HttpClient}:
 * the JDK client (Java 17) resolves host names itself when it connects and offers no way to give it the
 * addresses to use, so a target's name could be checked on one lookup and connected to on another (DNS
 * rebinding). Here the client's only resolver is {@link CheckedAddresses}: the addresses it connects to are
 * the ones that lookup returned and the URL rules allowed, while TLS still sends the host name (SNI) and
 * checks the certificate against it.
 */
@ApplicationScoped
public class Sender {

    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    static final int MAX_SNIPPET_CHARS = 1000;
    /** Above the largest per-target timeout (60 s). */
    static final Duration CEILING = Duration.ofSeconds(75);
    static final int CONNECT_TIMEOUT_MS = 10_000;
    /** Connections, idle ones included: far above what Lanes lets run at once, so a request never waits for one. */
    static final int MAX_CONNECTIONS = 4096;

    @Resource
    ManagedThreadFactory threadFactory;

    @Inject
    Clock clock;

    @Inject
    Targets targets;

    private TargetUrlPolicy urlPolicy;
    private ExecutorService clientThreads;
    private ScheduledThreadPoolExecutor watchdog;
    private CloseableHttpClient client;

    /**
     * The client gets threads of its own (managed ones), not the server's default
     * ManagedExecutorService: each attempt holds its thread until the answer is in (up to the target's
     * timeout, the host lookup included), and the delivery listeners run on that pool, so under load
     * waiting attempts would take every thread the listeners need to hand out the next ones.
     */
    @PostConstruct
    void init() {
        start(threadFactory, targets.urlPolicy());
    }

    /** Everything init does, with the threads and URL rules given: what the tests call. */
    void start(ThreadFactory threads, TargetUrlPolicy policy) {
        urlPolicy = policy;
        clientThreads = Executors.newCachedThreadPool(threads);
        watchdog = new ScheduledThreadPoolExecutor(1, threads);
        watchdog.setRemoveOnCancelPolicy(true);
        SSLContext tls;
        try {
            // The JVM's default context, as the JDK client used: the server's trust configuration applies.
            tls = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
        // No eviction thread (it would not be a managed one): a connection idle for a second is checked
        // before it is used again, and the server's keep-alive answer says how long it is kept.
        client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new CheckedAddresses(policy))
                        .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls))
                        .setMaxConnTotal(MAX_CONNECTIONS)
                        .setMaxConnPerRoute(MAX_CONNECTIONS)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofMilliseconds(CONNECT_TIMEOUT_MS))
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .build())
                        .build())
                // A webhook POST is never repeated behind the caller's back, nor redirected, nor decoded.
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(UserAgent.VALUE)
                .build();
    }

    @PreDestroy
    void close() {
        clientThreads.shutdownNow();
        watchdog.shutdownNow();
        try {
            client.close();
        } catch (IOException ignored) {
            // stopping: the connections go with the process
        }
    }

    /**
     * One attempt of a claimed delivery: its URL checked again under the current settings, then the
     * signed POST (the addresses of its host are checked when the client connects). A refused URL, or secrets that do not open, is a failed attempt, like any other.
     * Signed with {@code signedAt}, the time a rate limit judged the attempt by, so the receiver counts the same.
     */
    public CompletableFuture<Outcome> attempt(Claim claim, long signedAt) {
        if (claim.unsendable() != null) {
            return CompletableFuture.completedFuture(new Outcome(signedAt, 0, null, "not sent: " + claim.unsendable(), null, null));
        }
        try {
            // Cheap checks only, on the caller's thread (a JMS listener's): the host's addresses are looked
            // up and checked by the client, on a client thread, when it connects.
            urlPolicy.checkAtDelivery(claim.url());
        } catch (DomainException refused) {
            return CompletableFuture.completedFuture(
                    new Outcome(signedAt, 0, null, "url refused: " + String.join("; ", refused.details()), null, null));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Outcome(signedAt, 0, null, "not sent: " + e, null, null));
        }
        return post(claim.url(), claim.body(), headers(claim, signedAt), claim.timeoutMs());
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
     * exceptionally. A thread waits for each answer, as the classic client does.
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
        int connectTimeoutMs = Math.min(CONNECT_TIMEOUT_MS, timeoutMs);
        HttpPost request = new HttpPost(url);
        request.setConfig(requestConfig(connectTimeoutMs, timeoutMs));
        request.setHeader("Content-Type", "application/json");
        request.setHeader("User-Agent", UserAgent.VALUE);
        headers.forEach(request::addHeader);
        request.setEntity(new ByteArrayEntity(body, null));
        // One deadline for the whole attempt, connecting and a body trickling in included: at it, the
        // request is cancelled, which closes its connection and ends whatever waits on it.
        AtomicBoolean cut = new AtomicBoolean();
        AtomicBoolean answered = new AtomicBoolean();
        ScheduledFuture<?> cutoff;
        try {
            cutoff = watchdog.schedule(() -> {
                cut.set(true);
                request.cancel();
            }, timeoutMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            return failure(startedAt, start, "not sent: the server is stopping");
        }
        ClassicHttpResponse response = null;
        try {
            response = client.executeOpen(null, request, null);
            answered.set(true);
            String snippet = readSnippet(response.getEntity(), request);
            long latency = (System.nanoTime() - start) / 1_000_000;
            return new Outcome(startedAt, latency, response.getCode(), null, snippet, retryAfterMs(response));
        } catch (CheckedAddresses.Refused e) {
            return failure(startedAt, start, "url refused: " + e.getMessage());
        } catch (IOException e) {
            if (cut.get()) {
                return failure(startedAt, start, answered.get()
                        ? "timeout: the answer did not end within " + timeoutMs + " ms"
                        : "timeout: no answer within " + timeoutMs + " ms");
            }
            return failure(startedAt, start, describeFailure(e, answered.get(), connectTimeoutMs, timeoutMs));
        } catch (RuntimeException e) {
            return failure(startedAt, start, "not sent: " + e);
        } finally {
            cutoff.cancel(false);
            if (response != null) {
                closeQuietly(response);
            }
        }
    }

    @SuppressWarnings("deprecation") // a connect timeout per request is what a per-target timeout needs
    private static RequestConfig requestConfig(int connectTimeoutMs, int timeoutMs) {
        return RequestConfig.custom()
                .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMs))
                .setConnectionRequestTimeout(Timeout.ofMilliseconds(timeoutMs))
                .setResponseTimeout(Timeout.ofMilliseconds(timeoutMs))
                .setRedirectsEnabled(false)
                .build();
    }

    private static String describeFailure(IOException e, boolean answered, int connectTimeoutMs, int timeoutMs) {
        if (e instanceof ConnectTimeoutException) {
            return "connect timeout after " + connectTimeoutMs + " ms";
        }
        if (e instanceof HttpHostConnectException) {
            return "connection refused";
        }
        if (e instanceof SocketTimeoutException) {
            return answered ? "timeout: the answer did not end within " + timeoutMs + " ms"
                    : "timeout: no answer within " + timeoutMs + " ms";
        }
        if (e instanceof SSLException) {
            return "TLS failure: " + e.getMessage();
        }
        return "connection failed: " + describe(e);
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // the connection is gone or going: nothing to report beyond the outcome
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

    /**
     * Reads at most 64 KiB: a target that streams forever cannot hold a worker. An answer that ends
     * within them leaves its connection for the next request; a longer one is cut off with its
     * connection, since closing it would read the rest first.
     */
    private static String readSnippet(HttpEntity entity, HttpPost request) throws IOException {
        if (entity == null) {
            return "";
        }
        InputStream in = entity.getContent();
        byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES);
        if (bytes.length == MAX_RESPONSE_BYTES && in.read() != -1) {
            request.cancel();
            closeQuietly(in);
        } else {
            in.close();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.length() > MAX_SNIPPET_CHARS ? text.substring(0, MAX_SNIPPET_CHARS) : text;
    }

    private static Long retryAfterMs(ClassicHttpResponse response) {
        if (response.getCode() != 429 && response.getCode() != 503) {
            return null;
        }
        Header header = response.getFirstHeader("Retry-After");
        if (header == null || header.getValue() == null) {
            return null;
        }
        String seconds = header.getValue().strip();
        return seconds.matches("\\d{1,9}") ? Long.parseLong(seconds) * 1000 : null;
    }
}
