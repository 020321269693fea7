package dev.pons.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.Meta;
import dev.pons.it.Receiver;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/**
 * kill -9 of the server JVM while webhooks arrive and deliveries are pending and due: after a
 * restart every webhook that was answered 200 reaches the target. Duplicates are allowed only as
 * the same delivery id.
 */
class CrashIT {

    static final Path SERVER_DIR = Path.of(System.getProperty("pons.it.serverDir",
            "target/liberty/wlp/usr/servers/defaultServer"));

    @Test
    void nothingAnsweredWith200IsLostAcrossKill9() throws Exception {
        try (Receiver receiver = Receiver.answering(500)) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            Api.Reply target = Api.post(account.path("/webhook-targets"), account.apiKey(), "{\"url\":\"" + receiver.url()
                    + "\",\"events\":[\"message.inbound.received\"],\"maxAttempts\":20,\"initialBackoffMs\":500,"
                    + "\"maxBackoffMs\":2000}");
            assertEquals(201, target.status(), target.body());

            // Webhooks keep arriving while the server dies; only those answered 200 count.
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread meta = new Thread(() -> {
                while (sending.get()) {
                    String webhook = Meta.fresh("inbound-text.json", number);
                    try {
                        if (Meta.post(webhook).status() == 200) {
                            accepted.add(MetaWebhookIds.wamid(webhook));
                        }
                    } catch (RuntimeException serverGone) {
                        // the connection died with the server: not accepted
                    }
                }
            });
            meta.start();
            // A few failures open the target's circuit: the rest wait in the database, as they should across the kill.
            Api.await("deliveries pending and failing", Duration.ofSeconds(20),
                    () -> receiver.requests().size() >= 5 && accepted.size() >= 20);
            kill9();
            sending.set(false);
            meta.join();
            assertTrue(accepted.size() >= 10, "webhooks accepted before the kill: " + accepted.size());

            receiver.answer(request -> Receiver.Answer.status(200));
            restart();

            Api.await("every accepted webhook delivered", Duration.ofSeconds(90),
                    () -> deliveredWamids(receiver).containsAll(accepted));
            // The same event never arrives under two delivery ids.
            var deliveryIdsPerEvent = receiver.requests().stream().collect(Collectors.groupingBy(
                    r -> r.header("X-Pons-Event-Id"), Collectors.mapping(r -> r.header("X-Pons-Delivery-Id"), Collectors.toSet())));
            deliveryIdsPerEvent.forEach((event, ids) -> assertEquals(1, ids.size(), event + " under " + ids));
        }
    }

    static Set<String> deliveredWamids(Receiver receiver) {
        return receiver.requests().stream()
                .filter(r -> r.receivedAt() > 0)
                .map(r -> DeliveryIT.json(r.body()).getJsonObject("payload").getString("waMessageId"))
                .collect(Collectors.toSet());
    }

    static void kill9() throws Exception {
        String pid = Files.readString(SERVER_DIR.resolve("../.pid/defaultServer.pid")).strip();
        Process kill = new ProcessBuilder("kill", "-9", pid).inheritIO().start();
        assertEquals(0, kill.waitFor());
        Api.await("server gone", Duration.ofSeconds(20), () -> !ProcessHandle.of(Long.parseLong(pid))
                .map(ProcessHandle::isAlive).orElse(false));
    }

    static void restart() throws Exception {
        File wlp = SERVER_DIR.resolve("../../..").normalize().toFile();
        Process start = new ProcessBuilder(new File(wlp, "bin/server").getPath(), "start", "defaultServer")
                .directory(wlp).inheritIO().start();
        assertTrue(start.waitFor(180, TimeUnit.SECONDS), "server start returned");
        Api.await("ready after restart", Duration.ofSeconds(120), () -> {
            try {
                return Api.get("/health/ready", null).status() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
    }

    /** Reads the message id out of a fresh webhook body. */
    static final class MetaWebhookIds {
        static String wamid(String webhook) {
            return List.of(webhook.split("\"id\":\"")).stream().filter(s -> s.startsWith("wamid."))
                    .map(s -> s.substring(0, s.indexOf('"'))).findFirst().orElseThrow();
        }
    }
}
