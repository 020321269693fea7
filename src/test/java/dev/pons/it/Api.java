package dev.pons.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A small client for the black-box tests: real HTTP against the server the build started. */
public final class Api {

    public static final String BASE = System.getProperty("pons.it.baseUrl", "http://127.0.0.1:9080");
    public static final String ADMIN_TOKEN = System.getProperty("pons.it.adminToken", "it-operator-token-for-tests-only");

    /*
     * HTTP/1.1: the JDK client otherwise upgrades plain-http connections to HTTP/2 (h2c), and Liberty's
     * HTTP/2 write path can stall the server when its default executor is small: every thread waiting
     * in H2InboundLink.writeSync for a completion queued behind them.
     */
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    static {
        awaitReady();
    }

    private Api() {
    }

    /**
     * The build returns from liberty:start once the server runs, which on a busy machine can be
     * before the application is ready; every black-box test starts after this.
     */
    private static void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> ready = CLIENT.send(HttpRequest.newBuilder(URI.create(BASE + "/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public record Reply(int status, String body, HttpResponse<String> raw) {
        public JsonObject json() {
            return Json.createReader(new StringReader(body)).readObject();
        }

        public JsonStructure structure() {
            return Json.createReader(new StringReader(body)).read();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public static Reply send(String method, String path, String token, String jsonBody) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(BASE + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (jsonBody != null) {
            builder.header("Content-Type", "application/json");
            builder.method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(builder.build());
    }

    public static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (Exception e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        }
    }

    public static Reply get(String path, String token) {
        return send("GET", path, token, null);
    }

    public static Reply post(String path, String token, String jsonBody) {
        return send("POST", path, token, jsonBody);
    }

    public static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(30));
    }

    public static String string(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null : object.getString(name);
    }

    /** Polls until the condition holds, failing after the timeout. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
    }
}
