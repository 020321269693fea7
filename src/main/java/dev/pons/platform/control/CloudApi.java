package dev.pons.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Exchanges with Meta's WhatsApp Cloud API ({@code pons.meta.graph-base-url}), for the send API and for
 * proving a number: redirects are never followed (the token must not travel on), and each exchange,
 * body included, ends within {@code pons.meta.timeout-ms}. What went wrong comes back as a
 * {@link Failure} whose text never carries the token.
 */
@ApplicationScoped
public class CloudApi {

    /** No answer to read: why, and whether the request may have reached Meta all the same. */
    public static final class Failure extends Exception {

        private final boolean outcomeUnknown;

        Failure(String why, boolean outcomeUnknown) {
            super(why, null, false, false);
            this.outcomeUnknown = outcomeUnknown;
        }

        /** The request went out and no answer came in time: Meta may have acted on it. */
        public boolean outcomeUnknown() {
            return outcomeUnknown;
        }
    }

    @Inject
    @ConfigProperty(name = "pons.meta.graph-base-url")
    String baseUrl;

    @Inject
    @ConfigProperty(name = "pons.meta.timeout-ms")
    int timeoutMs;

    @Resource
    ManagedThreadFactory threadFactory;

    private ExecutorService clientThreads;
    private HttpClient client;

    /** Threads of its own, not the server's default executor that request threads use (see Sender). */
    @PostConstruct
    void init() {
        clientThreads = Executors.newCachedThreadPool(threadFactory);
        client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofMillis(timeoutMs))
                .executor(clientThreads)
                .build();
    }

    @PreDestroy
    void close() {
        clientThreads.shutdownNow();
    }

    public int timeoutMs() {
        return timeoutMs;
    }

    /**
     * Sends {@code path} (after the base URL) with the tenant's token; {@code method} sets the method,
     * body and any headers of its own.
     */
    public HttpResponse<String> exchange(String path, String accessToken, Consumer<HttpRequest.Builder> method)
            throws Failure {
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(stripSlash(baseUrl) + path))
                    .timeout(Duration.ofMillis(timeoutMs))
                    .header("Authorization", "Bearer " + accessToken)
                    .header("User-Agent", UserAgent.VALUE);
            method.accept(builder);
            request = builder.build();
        } catch (IllegalArgumentException badUrl) {
            throw new Failure("pons.meta.graph-base-url is not a valid URL", false);
        }
        // The request timeout ends only the wait for the status line; the deadline here also bounds the body.
        CompletableFuture<HttpResponse<String>> pending =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            return pending.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new Failure("no answer within " + timeoutMs + " ms", true);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while waiting for the answer", false);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    private Failure failure(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            // Nothing was sent: not a timeout that leaves the outcome open.
            return new Failure("no connection within " + timeoutMs + " ms", false);
        }
        if (cause instanceof HttpTimeoutException) {
            return new Failure("no answer within " + timeoutMs + " ms", true);
        }
        if (cause instanceof ConnectException) {
            return new Failure("connection refused", false);
        }
        if (cause instanceof SSLException) {
            return new Failure("TLS failure", false);
        }
        if (cause instanceof IOException) {
            return new Failure("connection failed (" + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")", false);
        }
        return new Failure("request failed (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")",
                false);
    }

    /** The body as a JSON object, or null when it is empty, not JSON, or JSON of another shape. */
    public static JsonObject jsonObject(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try (var reader = Json.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            return value instanceof JsonObject object ? object : null;
        } catch (JsonException notJson) {
            return null;
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
