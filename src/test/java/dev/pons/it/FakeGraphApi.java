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
 * Meta's Graph API as far as the send API needs it: {@code POST /v22.0/{phone-number-id}/messages}.
 * The IT server is configured (pom.xml, liberty.var.pons.meta.graph-base-url) to call it. Each test
 * uses its own phone number id and tells the fake how to answer for it; every request is recorded.
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

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String path = exchange.getRequestURI().getPath();
        String[] parts = path.split("/");
        // /v22.0/{phone-number-id}/messages
        String phoneNumberId = parts.length == 4 && parts[3].equals("messages") ? parts[2] : "?";
        synchronized (received) {
            received.computeIfAbsent(phoneNumberId, k -> new ArrayList<>()).add(new Received(
                    exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()), body));
        }
        Answer answer = answers.getOrDefault(phoneNumberId, Answer.json(404,
                "{\"error\":{\"message\":\"Unsupported post request.\",\"type\":\"GraphMethodException\",\"code\":100}}"));
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
