package dev.pons.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pons.it.Api;
import dev.pons.it.Receiver;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/**
 * The verification snippets of the README, run unchanged (Node.js, Python, Java) against a real
 * signed delivery: if the docs and the signature ever disagree, this fails.
 */
class ReceiverSnippetsIT {

    static Receiver.Request delivery;
    static String secret;

    @TempDir
    static Path dir;

    @BeforeAll
    static void captureARealDelivery() throws Exception {
        try (Receiver receiver = Receiver.answering(200)) {
            TestAccount account = TestAccounts.create();
            Api.Reply created = Api.post(account.path("/webhook-targets"), account.apiKey(), "{\"url\":\""
                    + receiver.url() + "\",\"events\":[\"message.inbound.received\"]}");
            secret = created.json().getString("signingSecret");
            Api.Reply test = Api.post(account.path("/webhook-targets/" + created.json().getString("id") + "/test"),
                    account.apiKey(), "{}");
            assertTrue(test.json().getBoolean("succeeded"), test.body());
            delivery = receiver.requests().get(0);
        }
        Files.write(dir.resolve("body.bin"), delivery.body());
        StringBuilder headers = new StringBuilder("{");
        for (String name : List.of("x-pons-timestamp", "x-pons-signature")) {
            headers.append(headers.length() > 1 ? "," : "").append('"').append(name).append("\":\"")
                    .append(delivery.header(name)).append('"');
        }
        Files.writeString(dir.resolve("headers.json"), headers.append('}'));
    }

    static String snippet(String language) throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<!-- verify:" + language + " -->\\s*```\\w+\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README has the " + language + " snippet");
        return m.group(1);
    }

    static int run(Path workDir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " finished");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() > 1) {
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
        return process.exitValue();
    }

    @Test
    void nodeSnippetVerifies() throws Exception {
        Files.writeString(dir.resolve("verify.js"), snippet("node") + """
                const fs = require('fs');
                const headers = JSON.parse(fs.readFileSync('headers.json', 'utf8'));
                process.exit(verifyPons(process.argv[2], headers, fs.readFileSync('body.bin')) ? 0 : 1);
                """);
        assertEquals(0, run(dir, "node", "verify.js", secret));
        assertEquals(1, run(dir, "node", "verify.js", secret + "x"), "a wrong secret fails");
    }

    @Test
    void pythonSnippetVerifies() throws Exception {
        Files.writeString(dir.resolve("verify.py"), snippet("python") + """

                import json, sys
                headers = json.load(open("headers.json"))
                sys.exit(0 if verify_pons(sys.argv[1], headers, open("body.bin", "rb").read()) else 1)
                """);
        assertEquals(0, run(dir, "python3", "verify.py", secret));
        assertEquals(1, run(dir, "python3", "verify.py", secret + "x"));
    }

    @Test
    void javaSnippetVerifies() throws Exception {
        String source = """
                import java.nio.charset.StandardCharsets;
                import java.nio.file.*;
                import java.security.MessageDigest;
                import java.util.*;
                import javax.crypto.Mac;
                import javax.crypto.spec.SecretKeySpec;

                public class Verify {
                """ + snippet("java").indent(4) + """
                    public static void main(String[] args) throws Exception {
                        String json = Files.readString(Path.of("headers.json"));
                        Map<String, String> headers = new HashMap<>();
                        for (String pair : json.replaceAll("[{}\\"]", "").split(",")) {
                            String[] kv = pair.split(":", 2);
                            headers.put(kv[0], kv[1]);
                        }
                        System.exit(verifyPons(args[0], headers, Files.readAllBytes(Path.of("body.bin"))) ? 0 : 1);
                    }
                }
                """;
        Files.writeString(dir.resolve("Verify.java"), source);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assertEquals(0, run(dir, java, "Verify.java", secret));
        assertEquals(1, run(dir, java, "Verify.java", secret + "x"));
    }
}
