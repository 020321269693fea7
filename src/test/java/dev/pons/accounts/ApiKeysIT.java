package dev.pons.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/** Several API keys per account: minted, listed as previews, revoked at once, counted against a quota. */
class ApiKeysIT {

    static final int KEYS = 10;

    @Test
    void aNewKeyIsShownOnceWorksAndIsListedAsAPreview() throws Exception {
        TestAccount account = TestAccounts.create();
        JsonArray before = list(account, account.apiKey());
        assertEquals(1, before.size(), "the account's first key");
        JsonObject first = before.getJsonObject(0);
        assertEquals("Default", first.getString("name"));
        assertEquals(preview(account.apiKey()), first.getString("preview"));

        Api.Reply created = Api.post(keys(account), account.apiKey(), "{\"name\":\"  CRM integration \"}");
        assertEquals(201, created.status(), created.body());
        JsonObject body = created.json();
        String key = body.getString("key");
        assertTrue(key.startsWith("pons_") && key.length() > 40, "a full key");
        assertTrue(body.getString("id").startsWith("key_"), body.getString("id"));
        assertEquals("CRM integration", body.getString("name"));
        assertEquals(preview(key), body.getString("preview"));
        assertTrue(body.getJsonNumber("createdAt").longValue() > 0);
        assertTrue(body.isNull("lastUsedAt"), "not used yet");

        Api.Reply me = Api.get("/api/v1/account", key);
        assertEquals(200, me.status(), me.body());
        assertEquals(account.id(), me.json().getString("id"));

        Api.Reply listed = Api.get(keys(account), key);
        assertEquals(200, listed.status(), listed.body());
        assertFalse(listed.body().contains(key) || listed.body().contains(account.apiKey()), "never a key in a list");
        JsonArray items = listed.json().getJsonArray("items");
        assertEquals(List.of(body.getString("id"), first.getString("id")), ids(items), "newest first");
        for (JsonValue item : items) {
            assertEquals(Set.of("id", "name", "preview", "createdAt", "lastUsedAt"), item.asJsonObject().keySet());
        }
        assertTrue(listed.json().isNull("nextCursor"));

        assertFalse(TestAccounts.serverLogs().contains(key), "no key in the server's logs");
    }

    @Test
    void aRevokedKeyIsRefusedOnTheNextRequest() {
        TestAccount account = TestAccounts.create();
        JsonObject second = mint(account, account.apiKey(), "second");
        assertEquals(200, Api.get("/api/v1/account", second.getString("key")).status());

        Api.Reply revoked = Api.send("DELETE", keys(account) + "/" + second.getString("id"), account.apiKey(), null);
        assertEquals(204, revoked.status(), revoked.body());
        Api.Reply refused = Api.get("/api/v1/account", second.getString("key"));
        assertEquals(401, refused.status(), refused.body());
        assertEquals("missing or invalid API key", refused.json().getString("error"));
        assertEquals(401, Api.get(keys(account), second.getString("key")).status());
        assertEquals(List.of(listFirstId(account)), ids(list(account, account.apiKey())));

        // A key may revoke itself as long as another remains.
        JsonObject third = mint(account, account.apiKey(), "third");
        assertEquals(204, Api.send("DELETE", keys(account) + "/" + third.getString("id"), third.getString("key"), null)
                .status());
        assertEquals(401, Api.get("/api/v1/account", third.getString("key")).status());
        assertEquals(404, Api.send("DELETE", keys(account) + "/" + third.getString("id"), account.apiKey(), null)
                .status(), "revoked already");
    }

    @Test
    void theLastKeyIsRevokedOnlyByTheOperator() {
        TestAccount account = TestAccounts.create();
        String only = listFirstId(account);
        Api.Reply refused = Api.send("DELETE", keys(account) + "/" + only, account.apiKey(), null);
        assertEquals(409, refused.status(), refused.body());
        assertEquals("the account's last API key cannot be revoked", refused.json().getString("error"));
        assertEquals(200, Api.get("/api/v1/account", account.apiKey()).status(), "still works");

        // The operator: for a leaked key of an account, revoke it and hand out a new one.
        assertEquals(200, Api.get(keys(account), Api.ADMIN_TOKEN).status());
        assertEquals(204, Api.send("DELETE", keys(account) + "/" + only, Api.ADMIN_TOKEN, null).status());
        assertEquals(401, Api.get("/api/v1/account", account.apiKey()).status());
        assertEquals(0, list(account, Api.ADMIN_TOKEN).size());
        JsonObject fresh = mint(account, Api.ADMIN_TOKEN, "after the leak");
        Api.Reply me = Api.get("/api/v1/account", fresh.getString("key"));
        assertEquals(200, me.status(), me.body());
        assertEquals(account.id(), me.json().getString("id"));

        assertEquals(404, Api.get("/api/v1/accounts/acct_00000000000000000000000000/api-keys", Api.ADMIN_TOKEN)
                .status(), "the operator too gets 404 for an account that does not exist");
        assertEquals(401, Api.get(keys(account), "not-the-operator-token").status());
        assertEquals(401, Api.get(keys(account), null).status());
    }

    @Test
    void anotherAccountsKeysAreOutOfReach() {
        TestAccount mine = TestAccounts.create();
        TestAccount other = TestAccounts.create();
        String otherKeyId = listFirstId(other);

        assertEquals(404, Api.get(keys(other), mine.apiKey()).status());
        assertEquals(404, Api.post(keys(other), mine.apiKey(), "{}").status());
        assertEquals(404, Api.send("DELETE", keys(other) + "/" + otherKeyId, mine.apiKey(), null).status());
        // Its key id in my own path is no key of mine either.
        mint(mine, mine.apiKey(), "spare");
        assertEquals(404, Api.send("DELETE", keys(mine) + "/" + otherKeyId, mine.apiKey(), null).status());
        assertEquals(200, Api.get("/api/v1/account", other.apiKey()).status(), "untouched");
        assertEquals(1, list(other, other.apiKey()).size());
    }

    @Test
    void anAccountHasAtMostTenKeysAlsoWhenMintedAtOnce() {
        TestAccount account = TestAccounts.create();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<CompletableFuture<Api.Reply>> racing = new ArrayList<>();
        for (int i = 0; i < KEYS + 2; i++) {
            racing.add(CompletableFuture.supplyAsync(() -> Api.post(keys(account), account.apiKey(), "{}"), pool));
        }
        List<Integer> statuses = racing.stream().map(CompletableFuture::join).map(Api.Reply::status).toList();
        pool.shutdown();
        assertEquals(KEYS - 1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(3, statuses.stream().filter(s -> s == 429).count(), statuses.toString());

        Api.Reply refused = Api.post(keys(account), account.apiKey(), "{\"name\":\"eleventh\"}");
        assertEquals(429, refused.status(), refused.body());
        assertEquals("too many API keys", refused.json().getString("error"));
        assertTrue(refused.json().getJsonArray("details").getString(0).contains("at most 10"), refused.body());
        JsonArray listed = list(account, account.apiKey());
        assertEquals(KEYS, listed.size(), "the refused ones were not stored");
        assertEquals(429, Api.post(keys(account), Api.ADMIN_TOKEN, "{}").status(), "the operator is held to it too");

        String newest = listed.getJsonObject(0).getString("id");
        assertEquals(204, Api.send("DELETE", keys(account) + "/" + newest, account.apiKey(), null).status());
        assertEquals(201, Api.post(keys(account), account.apiKey(), "{}").status(), "a revoked key frees its place");
    }

    @Test
    void lastUsedAtIsSetWhenAKeyIsUsedAndNotRewrittenWithinAMinute() {
        TestAccount account = TestAccounts.create();
        JsonObject minted = mint(account, account.apiKey(), "reporting");
        String id = minted.getString("id");
        assertTrue(find(list(account, account.apiKey()), id).isNull("lastUsedAt"));

        assertEquals(200, Api.get("/api/v1/account", minted.getString("key")).status());
        JsonObject used = find(list(account, account.apiKey()), id);
        assertFalse(used.isNull("lastUsedAt"), used.toString());
        long lastUsedAt = used.getJsonNumber("lastUsedAt").longValue();
        assertTrue(lastUsedAt >= minted.getJsonNumber("createdAt").longValue(), used.toString());

        assertEquals(200, Api.get("/api/v1/account", minted.getString("key")).status());
        assertEquals(lastUsedAt, find(list(account, account.apiKey()), id).getJsonNumber("lastUsedAt").longValue(),
                "at most one write a minute per key");

        // The key that lists is used by that very request: its answer shows it.
        JsonObject lister = mint(account, account.apiKey(), "lister");
        JsonObject self = find(list(account, lister.getString("key")), lister.getString("id"));
        assertFalse(self.isNull("lastUsedAt"), self.toString());
    }

    @Test
    void badInputIsRefusedAndNothingIsStored() throws Exception {
        TestAccount account = TestAccounts.create();
        Api.Reply tooLong = Api.post(keys(account), account.apiKey(), "{\"name\":\"" + "x".repeat(101) + "\"}");
        assertEquals(400, tooLong.status(), tooLong.body());
        assertEquals("invalid API key request", tooLong.json().getString("error"));
        assertEquals("name: must be at most 100 characters", tooLong.json().getJsonArray("details").getString(0));

        Api.Reply control = Api.post(keys(account), account.apiKey(), "{\"name\":\"a\\u0000b\"}");
        assertEquals(400, control.status(), control.body());
        assertEquals("name: must not contain control characters", control.json().getJsonArray("details").getString(0));

        Api.Reply unknown = Api.post(keys(account), account.apiKey(), "{\"key\":\"pons_mine\"}");
        assertEquals(400, unknown.status(), unknown.body());
        assertEquals("key: unknown field", unknown.json().getJsonArray("details").getString(0));
        assertFalse(unknown.body().contains("pons_mine"), "a body is never echoed");

        Api.Reply array = Api.post(keys(account), account.apiKey(), "[1]");
        assertEquals(400, array.status(), array.body());
        assertEquals("body: must be a JSON object", array.json().getJsonArray("details").getString(0));
        assertEquals(400, Api.post(keys(account), account.apiKey(), "{\"name\":").status());
        assertEquals(1, list(account, account.apiKey()).size(), "nothing was stored");

        Api.Reply unnamed = Api.post(keys(account), account.apiKey(), "{}");
        assertEquals(201, unnamed.status(), unnamed.body());
        assertEquals("API key", unnamed.json().getString("name"));
        assertFalse(TestAccounts.serverLogs().contains(account.apiKey()), "no key in the server's logs");
    }

    private static String keys(TestAccount account) {
        return account.path("/api-keys");
    }

    private static JsonObject mint(TestAccount account, String token, String name) {
        Api.Reply created = Api.post(keys(account), token, "{\"name\":\"" + name + "\"}");
        assertEquals(201, created.status(), created.body());
        return created.json();
    }

    private static JsonArray list(TestAccount account, String token) {
        Api.Reply listed = Api.get(keys(account), token);
        assertEquals(200, listed.status(), listed.body());
        return listed.json().getJsonArray("items");
    }

    /** The id of the account's first key: the oldest, last in the list. */
    private static String listFirstId(TestAccount account) {
        JsonArray items = list(account, Api.ADMIN_TOKEN);
        return items.getJsonObject(items.size() - 1).getString("id");
    }

    private static JsonObject find(JsonArray items, String id) {
        return items.stream().map(JsonValue::asJsonObject).filter(k -> k.getString("id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no key " + id + " in " + items));
    }

    private static List<String> ids(JsonArray items) {
        return items.stream().map(v -> v.asJsonObject().getString("id")).collect(Collectors.toList());
    }

    private static String preview(String key) {
        return "pons_…" + key.substring(key.length() - 4);
    }
}
