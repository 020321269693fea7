package dev.pons.it;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The server's {@code /metrics}, read as Prometheus does outside the dev profile: with the metrics user's
 * credentials, over https on Liberty ({@code pons.it.metricsUrl}). The IT server's certificate is Liberty's
 * self-signed default, so this client trusts any certificate; it only ever talks to the loopback server.
 */
public final class MetricsEndpoint {

    public static final String BASE = System.getProperty("pons.it.metricsUrl", Api.BASE);
    public static final String USER = System.getProperty("pons.it.metricsUser", "metrics");
    public static final String PASSWORD = System.getProperty("pons.it.metricsPassword", "it-metrics-password");

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(trustingLoopback())
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private MetricsEndpoint() {
    }

    /** {@code GET /metrics?scope=<scope>} in Prometheus text, with the credentials. */
    public static Api.Reply scrape(String scope) {
        return send(request(BASE, scope).header("Authorization", basic(USER, PASSWORD)).build());
    }

    /** The same request as the given client makes it, for tests of what is refused. */
    public static HttpRequest.Builder request(String base, String scope) {
        return HttpRequest.newBuilder(URI.create(base + "/metrics?scope=" + scope))
                .timeout(Duration.ofSeconds(10)).header("Accept", "text/plain").GET();
    }

    public static Api.Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Api.Reply(response.statusCode(), response.body(), response);
        } catch (Exception e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        }
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext trustingLoopback() {
        X509ExtendedTrustManager any = new X509ExtendedTrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
            @Override public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {any}, new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
