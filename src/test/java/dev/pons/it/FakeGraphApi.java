package dev.pons.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.pons.MetaFixtures;

/**
 * Meta's Graph API as far as Pons needs it: {@code POST /v22.0/{phone-number-id}/messages} (the send
 * API) and {@code GET /v22.0/{phone-number-id}} (the proof that registers a number). The IT server is
 * configured (pom.xml, -Dpons.meta.graph-base-url) to call it. Each test uses its own phone number id
 * and tells the fake how to answer for it; every request is recorded.
 *
 * <p>A GET answers as Meta does: 200 with the number's default fields for a token that {@link #own}s the
 * number, 400 {@code GraphMethodException} (code 100, subcode 33) for a known token that does not, and
 * 401 {@code OAuthException} (code 190) for a token Meta does not know; {@link #answerProof} overrides that.
 */
public final class FakeGraphApi implements AutoCloseable {

    public static final int PORT = Integer.getInteger("pons.it.fakeGraphPort", 9911);
    public static final Path FIXTURES = MetaFixtures.DIR;

    /** The WhatsApp message id in send-text-response.json. */
    public static final String FIXTURE_WAMID = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBIzN0REODE2REM1RUYzNTA5QTEA";

    /** Meta's answer when the 24-hour customer service window is closed (same shape as the fixtures). */
    public static final String REENGAGEMENT_ERROR = "{\"error\":{\"message\":\"(#131047) Re-engagement message\","
            + "\"type\":\"OAuthException\",\"code\":131047,\"error_data\":{\"messaging_product\":\"whatsapp\","
            + "\"details\":\"Message failed to send because more than 24 hours have passed since the customer last"
            + " replied to this number.\"},\"fbtrace_id\":\"AoNbmOMGn4lMpu8n7RTD-Zy\"}}";

    public record Received(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** How to answer: a status and body, never (hang until closed), or drop the connection. */
    public record Answer(int status, String body, boolean hangs, boolean drops) {
        public static Answer json(int status, String body) {
            return new Answer(status, body, false, false);
        }

        public static Answer hang() {
            return new Answer(0, null, true, false);
        }

        public static Answer drop() {
            return new Answer(0, null, false, true);
        }
    }

    private final HttpServer server;
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    private final Map<String, Answer> proofAnswers = new ConcurrentHashMap<>();
    private final Map<String, List<Received>> proofs = new ConcurrentHashMap<>();
    private final Map<String, java.util.Set<String>> owned = new ConcurrentHashMap<>();

    private FakeGraphApi(HttpServer server) {
        this.server = server;
    }

    public static FakeGraphApi start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
        FakeGraphApi fake = new FakeGraphApi(server);
        server.createContext("/", fake::handle);
        server.setExecutor(fake.workers);
        server.start();
        return fake;
    }

    public static String fixture(String name) {
        try {
            return Files.readString(FIXTURES.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("fixture " + name, e);
        }
    }

    /**
     * send-text-response.json as Meta sends it, with a fresh message id: ids are unique in
     * outbound_message, and the IT database outlives one build.
     */
    public static String successWith(String waMessageId) {
        return fixture("send-text-response.json").replace(FIXTURE_WAMID, waMessageId);
    }

    public void answer(String phoneNumberId, Answer answer) {
        answers.put(phoneNumberId, answer);
    }

    public List<Received> received(String phoneNumberId) {
        synchronized (received) {
            return List.copyOf(received.getOrDefault(phoneNumberId, List.of()));
        }
    }

    /** Makes {@code accessToken} a token Meta knows, of the business account that holds these numbers. */
    public void own(String accessToken, String... phoneNumberIds) {
        owned.computeIfAbsent(accessToken, k -> ConcurrentHashMap.newKeySet()).addAll(List.of(phoneNumberIds));
    }

    /** How to answer {@code GET /v22.0/{phoneNumberId}} whatever the token. */
    public void answerProof(String phoneNumberId, Answer answer) {
        proofAnswers.put(phoneNumberId, answer);
    }

    /** The GET requests for the number, in order. */
    public List<Received> proofs(String phoneNumberId) {
        synchronized (proofs) {
            return List.copyOf(proofs.getOrDefault(phoneNumberId, List.of()));
        }
    }

    /** Meta's answer to GET /{phone-number-id}: the default fields of a Cloud API number. */
    public static String phoneNumber(String phoneNumberId, String displayPhoneNumber) {
        return "{\"verified_name\":\"Pons Test Business\",\"code_verification_status\":\"VERIFIED\","
                + "\"display_phone_number\":\"" + displayPhoneNumber + "\",\"quality_rating\":\"GREEN\","
                + "\"platform_type\":\"CLOUD_API\",\"throughput\":{\"level\":\"STANDARD\"},"
                + "\"id\":\"" + phoneNumberId + "\"}";
    }

    /** Meta's answer (HTTP 401) to a token it cannot parse, or one revoked or expired. */
    public static final String INVALID_TOKEN = "{\"error\":{\"message\":\"Invalid OAuth access token - Cannot parse"
            + " access token\",\"type\":\"OAuthException\",\"code\":190,\"fbtrace_id\":\"AWzN4zCd5tVhYcXy8pGHrbY\"}}";

    /** Meta's answer (HTTP 400) when the token is valid but cannot see the object. */
    public static String unsupportedGet(String id) {
        return "{\"error\":{\"message\":\"Unsupported get request. Object with ID '" + id + "' does not exist,"
                + " cannot be loaded due to missing permissions, or does not support this operation. Please read"
                + " the Graph API documentation at https://developers.facebook.com/docs/graph-api\","
                + "\"type\":\"GraphMethodException\",\"code\":100,\"error_subcode\":33,"
                + "\"fbtrace_id\":\"A8kQ2wB7tJ3sXlV1mN0pRcd\"}}";
    }

    private Answer proofAnswer(String phoneNumberId, String authorization) {
        Answer fixed = proofAnswers.get(phoneNumberId);
        if (fixed != null) {
            return fixed;
        }
        String token = authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring("Bearer ".length()) : null;
        java.util.Set<String> numbers = token == null ? null : owned.get(token);
        if (numbers == null) {
            return Answer.json(401, INVALID_TOKEN);
        }
        return numbers.contains(phoneNumberId)
                ? Answer.json(200, phoneNumber(phoneNumberId, "+1 555-078-3881"))
                : Answer.json(400, unsupportedGet(phoneNumberId));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String path = exchange.getRequestURI().getPath();
        String[] parts = path.split("/");
        if (exchange.getRequestMethod().equals("GET") && parts.length == 3) {
            // /v22.0/{phone-number-id}
            Received request = new Received("GET", path, Map.copyOf(exchange.getRequestHeaders()), body);
            synchronized (proofs) {
                proofs.computeIfAbsent(parts[2], k -> new ArrayList<>()).add(request);
            }
            respond(exchange, proofAnswer(parts[2], request.header("Authorization")));
            return;
        }
        // /v22.0/{phone-number-id}/messages
        String phoneNumberId = parts.length == 4 && parts[3].equals("messages") ? parts[2] : "?";
        synchronized (received) {
            received.computeIfAbsent(phoneNumberId, k -> new ArrayList<>()).add(new Received(
                    exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()), body));
        }
        respond(exchange, answers.getOrDefault(phoneNumberId, Answer.json(404,
                "{\"error\":{\"message\":\"Unsupported post request.\",\"type\":\"GraphMethodException\",\"code\":100}}")));
    }

    private void respond(HttpExchange exchange, Answer answer) throws IOException {
        try {
            if (answer.hangs()) {
                closing.await(60, TimeUnit.SECONDS);
                return;
            }
            if (answer.drops()) {
                return;
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        workers.shutdownNow();
    }
}
