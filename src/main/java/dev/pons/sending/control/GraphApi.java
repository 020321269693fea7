package dev.pons.sending.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Bulkhead;

import dev.pons.platform.control.UserAgent;

/**
 * {@code POST {graph-base-url}/{phone-number-id}/messages} of the WhatsApp Cloud API. Every outcome,
 * failures included, is a {@link GraphReply}; nothing here retries, since a repeated POST would
 * send the customer the message twice. Redirects are never followed: the token must not travel on.
 */
@ApplicationScoped
public class GraphApi {

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

    /**
     * Never inside a transaction: the answer may take the whole timeout, and no database connection
     * or transaction timeout should wait on Meta. The bulkhead bounds the request threads one
     * instance lets wait; when full it refuses at once (BulkheadException), before anything is sent.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    @Bulkhead(value = 32)
    public GraphReply send(String phoneNumberId, String accessToken, JsonObject message) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(stripSlash(baseUrl) + "/" + phoneNumberId + "/messages"))
                    .timeout(Duration.ofMillis(timeoutMs))
                    .header("Authorization", "Bearer " + accessToken)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", UserAgent.VALUE)
                    .POST(HttpRequest.BodyPublishers.ofString(message.toString(), StandardCharsets.UTF_8))
                    .build();
        } catch (IllegalArgumentException badUrl) {
            return GraphReply.unreachable("pons.meta.graph-base-url is not a valid URL");
        }
        // The request timeout ends only the wait for the status line; the deadline here also bounds the body.
        CompletableFuture<HttpResponse<String>> pending =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = pending.get(timeoutMs, TimeUnit.MILLISECONDS);
            return GraphReply.parse(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            pending.cancel(true);
            return GraphReply.timeout(timeoutMs);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return GraphReply.unreachable("interrupted while waiting for the answer");
        } catch (ExecutionException e) {
            return failure(e.getCause());
        }
    }

    private GraphReply failure(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            // Nothing was sent: not a "timeout" that leaves the outcome open.
            return GraphReply.unreachable("no connection within " + timeoutMs + " ms");
        }
        if (cause instanceof HttpTimeoutException) {
            return GraphReply.timeout(timeoutMs);
        }
        if (cause instanceof ConnectException) {
            return GraphReply.unreachable("connection refused");
        }
        if (cause instanceof SSLException) {
            return GraphReply.unreachable("TLS failure");
        }
        if (cause instanceof IOException) {
            return GraphReply.unreachable("connection failed (" + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")");
        }
        return GraphReply.unreachable("request failed (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")");
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
