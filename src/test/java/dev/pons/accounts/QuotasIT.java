package dev.pons.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.Receiver;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/** Each tenant's fair share (pons.limits.*, defaults): going over a quota answers 429 and changes nothing. */
class QuotasIT {

    static final int TARGETS = 50;
    static final int NUMBERS = 100;

    @Test
    void anAccountHasAtMostFiftyTargetsAlsoWhenCreatedAtOnce() throws Exception {
        TestAccount account = TestAccounts.create();
        for (int i = 0; i < TARGETS - 5; i++) {
            assertEquals(201, createTarget(account).status());
        }
        // Ten at once for the last five places: the account's row serialises the count.
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<CompletableFuture<Api.Reply>> racing = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            racing.add(CompletableFuture.supplyAsync(() -> createTarget(account), pool));
        }
        List<Integer> statuses = racing.stream().map(CompletableFuture::join).map(Api.Reply::status).toList();
        pool.shutdown();
        assertEquals(5, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(5, statuses.stream().filter(s -> s == 429).count(), statuses.toString());

        Api.Reply refused = createTarget(account);
        assertEquals(429, refused.status(), refused.body());
        assertTrue(refused.json().getString("error").contains("too many webhook targets"), refused.body());
        assertTrue(refused.json().getJsonArray("details").getString(0).contains("at most 50"), refused.body());
        assertEquals(TARGETS, targetIds(account).size(), "the refused ones were not stored");

        String first = targetIds(account).get(0);
        assertEquals(204, Api.send("DELETE", account.path("/webhook-targets/" + first), account.apiKey(), null).status());
        assertEquals(201, createTarget(account).status(), "a deleted target frees its place");

        TestAccount other = TestAccounts.create();
        assertEquals(201, createTarget(other).status(), "quotas are per account");
    }

    @Test
    void anAccountRegistersAtMostAHundredNumbers() {
        TestAccount account = TestAccounts.create();
        for (int i = 0; i < NUMBERS; i++) {
            TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        }
        String id = TestAccounts.newPhoneNumberId();
        // Refused before the Cloud API is asked: no fake Graph API runs here, and the answer is still 429.
        Api.Reply refused = Api.post(account.path("/numbers"), account.apiKey(),
                "{\"phoneNumberId\":\"" + id + "\",\"displayPhoneNumber\":\"+15550783881\",\"accessToken\":\"EAAG-t\"}");
        assertEquals(429, refused.status(), refused.body());
        assertTrue(refused.json().getString("error").contains("too many phone numbers"), refused.body());
        assertEquals(NUMBERS, Api.get(account.path("/numbers"), account.apiKey()).json().getJsonArray("items").size());
        TestAccount other = TestAccounts.create();
        assertEquals(201, Api.post(other.path("/numbers"), Api.ADMIN_TOKEN,
                "{\"phoneNumberId\":\"" + id + "\",\"displayPhoneNumber\":\"+15550783881\"}").status(),
                "the refused number was not stored: another account can register it");
    }

    @Test
    void oneTestSendPerTargetAtATime() throws Exception {
        try (Receiver slow = Receiver.answering(request -> Receiver.Answer.never())) {
            TestAccount account = TestAccounts.create();
            Api.Reply target = Api.post(account.path("/webhook-targets"), account.apiKey(),
                    "{\"url\":\"" + slow.url() + "\",\"events\":[\"message.inbound.received\"],\"timeoutMs\":3000}");
            assertEquals(201, target.status(), target.body());
            String test = account.path("/webhook-targets/" + target.json().getString("id") + "/test");

            CompletableFuture<Api.Reply> first = CompletableFuture.supplyAsync(() -> Api.post(test, account.apiKey(), "{}"));
            Api.await("the first test send to reach the receiver", Duration.ofSeconds(10), () -> !slow.requests().isEmpty());
            Api.Reply second = Api.post(test, account.apiKey(), "{}");
            assertEquals(429, second.status(), second.body());
            assertTrue(second.json().getString("error").contains("test send to this target is already running"));

            Api.Reply answered = first.get();
            assertEquals(200, answered.status(), answered.body());
            assertFalse(answered.json().getBoolean("succeeded"), "the hanging receiver timed out");
            assertEquals(1, slow.requests().size(), "the refused test send sent nothing");
            assertEquals(200, Api.post(test, account.apiKey(), "{}").status(), "once answered, the next may go");
        }
    }

    private static Api.Reply createTarget(TestAccount account) {
        return Api.post(account.path("/webhook-targets"), account.apiKey(),
                "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"message.inbound.received\"]}");
    }

    private static List<String> targetIds(TestAccount account) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Api.Reply page = Api.get(account.path("/webhook-targets?limit=100" + (cursor == null ? "" : "&cursor=" + cursor)),
                    account.apiKey());
            page.json().getJsonArray("items").forEach(item -> ids.add(item.asJsonObject().getString("id")));
            cursor = page.json().isNull("nextCursor") ? null : page.json().getString("nextCursor");
        } while (cursor != null);
        return ids;
    }
}
