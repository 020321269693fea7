package dev.pons.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.standardwebhooks.Webhook;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pons.it.Api;
import dev.pons.it.Receiver;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/**
 * The verification snippets of the README, run unchanged (Node.js, Python, Java; X-Pons-Signature and
 * Standard Webhooks) against real signed deliveries: one before a secret rotation, one during its
 * grace period, which the old and the new secret must both verify. If the docs and the signatures ever
 * disagree, this fails.
 */
class ReceiverSnippetsIT {

    /** The standardwebhooks version the README's Node.js snippet is run with. */
    static final String NPM_PACKAGE = "standardwebhooks@1.1.1";

    /** The verdicts the harnesses exit with; anything else (a crash, a missing module) fails the test. */
    static final int VERIFIED = 10;
    static final int REJECTED = 11;

    /** Signed with the first secret only. */
    static Path plain;
    /** Signed during the rotation's grace period: the new secret first, the first secret second. */
    static Path rotated;
    static String secret;
    static String newSecret;
    /** A well-formed secret of no target: a library must reject with it, not fail to decode it. */
    static final String UNRELATED = unrelatedSecret();

    @TempDir
    static Path dir;

    static String unrelatedSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    @BeforeAll
    static void captureRealDeliveries() throws Exception {
        Receiver.Request before;
        Receiver.Request during;
        try (Receiver receiver = Receiver.answering(200)) {
            TestAccount account = TestAccounts.create();
            Api.Reply created = Api.post(account.path("/webhook-targets"), account.apiKey(), "{\"url\":\""
                    + receiver.url() + "\",\"events\":[\"message.inbound.received\"]}");
            secret = created.json().getString("signingSecret");
            String target = account.path("/webhook-targets/" + created.json().getString("id"));
            sendTest(account, target);
            newSecret = Api.post(target + "/rotate-secret", account.apiKey(), "{\"gracePeriodMs\":600000}")
                    .json().getString("signingSecret");
            sendTest(account, target);
            before = receiver.requests().get(0);
            during = receiver.requests().get(1);
        }
        assertEquals(1, before.header("webhook-signature").split(" ").length, before.header("webhook-signature"));
        assertEquals(2, during.header("webhook-signature").split(" ").length, during.header("webhook-signature"));
        assertTrue(during.header("X-Pons-Signature-Previous") != null, "rotation delivery has both X-Pons signatures");
        plain = write(dir.resolve("plain"), before);
        rotated = write(dir.resolve("rotated"), during);
    }

    static void sendTest(TestAccount account, String target) {
        Api.Reply test = Api.post(target + "/test", account.apiKey(), "{}");
        assertTrue(test.json().getBoolean("succeeded"), test.body());
    }

    /**
     * The raw body, and the signature headers by their lower-case names twice: as JSON for Node.js and
     * Python, and as "name: value" lines for Java, which has no JSON parser of its own.
     */
    static Path write(Path caseDir, Receiver.Request request) throws IOException {
        Files.createDirectories(caseDir);
        Files.write(caseDir.resolve("body.bin"), request.body());
        JsonObjectBuilder json = Json.createObjectBuilder();
        StringBuilder lines = new StringBuilder();
        request.headers().keySet().stream().map(name -> name.toLowerCase())
                .filter(name -> name.startsWith("x-pons-") || name.startsWith("webhook-")).sorted()
                .forEach(name -> {
                    json.add(name, request.header(name));
                    lines.append(name).append(": ").append(request.header(name)).append('\n');
                });
        Files.writeString(caseDir.resolve("headers.json"), json.build().toString());
        Files.writeString(caseDir.resolve("headers.txt"), lines);
        return caseDir;
    }

    static String snippet(String language) throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<!-- verify:" + language + " -->\\s*```\\w+\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README has the " + language + " snippet");
        return m.group(1);
    }

    /** Runs a harness in a delivery's directory: true if it says verified, false if rejected. */
    static boolean verifies(Path caseDir, Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(caseDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " finished");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != VERIFIED && process.exitValue() != REJECTED) {
            throw new AssertionError(String.join(" ", command) + " in " + caseDir.getFileName() + " exited with "
                    + process.exitValue() + ": " + output);
        }
        return process.exitValue() == VERIFIED;
    }

    /**
     * The four cases every snippet must get right: the first secret verifies its delivery, the next one
     * does not; during the grace period both do; a secret of no target never does.
     */
    static void assertVerifiesLikeAReceiver(Map<String, String> env, String... command) throws Exception {
        List<String> base = List.of(command);
        assertTrue(verifies(plain, env, with(base, secret)), "the target's secret verifies");
        assertFalse(verifies(plain, env, with(base, newSecret)), "a secret made after the delivery does not");
        assertTrue(verifies(rotated, env, with(base, newSecret)), "the new secret verifies during the grace period");
        assertTrue(verifies(rotated, env, with(base, secret)), "the old secret verifies during the grace period");
        assertFalse(verifies(rotated, env, with(base, UNRELATED)), "an unrelated secret does not");
    }

    static List<String> with(List<String> command, String argument) {
        List<String> all = new ArrayList<>(command);
        all.add(argument);
        return all;
    }

    static final String NODE_MAIN = """
            const fs = require('fs');
            const headers = JSON.parse(fs.readFileSync('headers.json', 'utf8'));
            process.exit(%s(process.argv[2], headers, fs.readFileSync('body.bin')) ? 10 : 11);
            """;

    static final String PYTHON_MAIN = """

            import json, sys
            headers = json.load(open("headers.json"))
            sys.exit(10 if %s(sys.argv[1], headers, open("body.bin", "rb").read()) else 11)
            """;

    @Test
    void nodeSnippetVerifies() throws Exception {
        Path script = dir.resolve("verify.js");
        Files.writeString(script, snippet("node") + NODE_MAIN.formatted("verifyPons"));
        assertVerifiesLikeAReceiver(Map.of(), "node", script.toString());
    }

    @Test
    void nodeStandardSnippetVerifiesWithTheOfficialLibrary() throws Exception {
        Path modules = npmInstall();
        Path script = dir.resolve("verify-standard.js");
        Files.writeString(script, snippet("node-standard") + NODE_MAIN.formatted("verifyStandard"));
        assertVerifiesLikeAReceiver(Map.of("NODE_PATH", modules.toString()), "node", script.toString());
    }

    @Test
    void pythonSnippetVerifies() throws Exception {
        Path script = dir.resolve("verify.py");
        Files.writeString(script, snippet("python") + PYTHON_MAIN.formatted("verify_pons"));
        assertVerifiesLikeAReceiver(Map.of(), "python3", script.toString());
    }

    @Test
    void pythonStandardSnippetVerifies() throws Exception {
        Path script = dir.resolve("verify_standard.py");
        Files.writeString(script, snippet("python-standard") + PYTHON_MAIN.formatted("verify_standard"));
        assertVerifiesLikeAReceiver(Map.of(), "python3", script.toString());
    }

    @Test
    void javaSnippetVerifies() throws Exception {
        Path source = dir.resolve("VerifyPons.java");
        Files.writeString(source, javaProgram("VerifyPons", "java", """
                Map<String, String> headers = new HashMap<>();
                for (String line : Files.readAllLines(Path.of("headers.txt"))) {
                    String[] nameValue = line.split(": ", 2);
                    headers.put(nameValue[0], nameValue[1]);
                }
                System.exit(verifyPons(args[0], headers, Files.readAllBytes(Path.of("body.bin"))) ? 10 : 11);
                """));
        assertVerifiesLikeAReceiver(Map.of(), java(), source.toString());
    }

    @Test
    void javaStandardSnippetVerifiesWithTheOfficialLibrary() throws Exception {
        Path source = dir.resolve("VerifyStandard.java");
        Files.writeString(source, javaProgram("VerifyStandard", "java-standard", """
                Map<String, List<String>> headers = new HashMap<>();
                for (String line : Files.readAllLines(Path.of("headers.txt"))) {
                    String[] nameValue = line.split(": ", 2);
                    headers.put(nameValue[0], List.of(nameValue[1]));
                }
                System.exit(verifyStandard(args[0], headers, Files.readAllBytes(Path.of("body.bin"))) ? 10 : 11);
                """));
        // The library's jar, the one this test compiles against (the pom's test dependency).
        String jar = Path.of(Webhook.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        assertVerifiesLikeAReceiver(Map.of(), java(), "-cp", jar, source.toString());
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A single-file program around a README snippet: its import lines go on top, the rest into the class. */
    static String javaProgram(String className, String language, String main) throws IOException {
        String snippet = snippet(language);
        String imports = snippet.lines().filter(line -> line.startsWith("import ")).collect(Collectors.joining("\n"));
        String body = snippet.lines().filter(line -> !line.startsWith("import ")).collect(Collectors.joining("\n"));
        return """
                import java.nio.charset.StandardCharsets;
                import java.nio.file.*;
                import java.security.MessageDigest;
                import java.util.*;
                import javax.crypto.Mac;
                import javax.crypto.spec.SecretKeySpec;
                """ + imports + "\n\npublic class " + className + " {\n" + body.indent(4) + """

                    public static void main(String[] args) throws Exception {
                """ + main.indent(8) + """
                    }
                }
                """;
    }

    /**
     * Installs the npm package into target/ (once; npm keeps it there between builds) and returns its
     * node_modules. A missing npm fails the test with the fix: the snippet must run, not be skipped.
     */
    static Path npmInstall() throws Exception {
        Path prefix = Path.of("target", "receiver-snippets-npm").toAbsolutePath();
        Path modules = prefix.resolve("node_modules");
        Path installed = modules.resolve("standardwebhooks").resolve("package.json");
        String version = NPM_PACKAGE.substring(NPM_PACKAGE.indexOf('@') + 1);
        if (Files.exists(installed) && Files.readString(installed).contains("\"version\": \"" + version + "\"")) {
            return modules;
        }
        Files.createDirectories(prefix);
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "install", "--no-save", "--prefix", prefix.toString(), NPM_PACKAGE)
                    .redirectErrorStream(true).start();
        } catch (IOException notFound) {
            throw new AssertionError("npm is needed to run the README's Node.js Standard Webhooks snippet and was not"
                    + " found: install it (Debian: apt-get install -y npm; .ci/run does)", notFound);
        }
        assertTrue(npm.waitFor(300, TimeUnit.SECONDS), "npm install finished");
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, npm.exitValue(), "npm install " + NPM_PACKAGE + " (it needs the npm registry): " + output);
        assertTrue(Files.exists(installed), output);
        return modules;
    }
}
