package dev.pons.it;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.pons.MetaFixtures;

/** Plays Meta: realistic webhook bodies from the fixtures in src/test/resources/meta, signed like Meta signs them. */
public final class Meta {

    /** The IT server runs with the app secret of the fixtures' signature vector. */
    public static final String APP_SECRET = System.getProperty("pons.it.metaAppSecret", "test_app_secret");
    public static final String VERIFY_TOKEN = System.getProperty("pons.it.metaVerifyToken", "it-verify-token");
    public static final String FIXTURE_NUMBER = "106540352242922";
    static final Path FIXTURES = MetaFixtures.DIR;

    private Meta() {
    }

    public static String fixture(String name) {
        try {
            return Files.readString(FIXTURES.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("fixture " + name + " missing under " + FIXTURES.toAbsolutePath(), e);
        }
    }

    public static byte[] fixtureBytes(String name) {
        try {
            return Files.readAllBytes(FIXTURES.resolve(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A fixture made unique for this test: its phone number id replaced by {@code phoneNumberId} and
     * every wamid given a fresh prefix, so reruns against the same database are not deduplicated.
     */
    public static String fresh(String fixtureName, String phoneNumberId) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        return fixture(fixtureName).replace(FIXTURE_NUMBER, phoneNumberId).replace("wamid.", "wamid." + run);
    }

    public static String sign(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Api.Reply post(byte[] body, String signatureHeader) {
        HttpRequest.Builder request = Api.request("/webhooks/meta")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signatureHeader != null) {
            request.header("X-Hub-Signature-256", signatureHeader);
        }
        return Api.send(request.build());
    }

    public static Api.Reply post(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return post(bytes, sign(bytes, APP_SECRET));
    }
}
