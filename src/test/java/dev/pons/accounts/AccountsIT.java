package dev.pons.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.TestAccounts;

class AccountsIT {

    @Test
    void operatorCreatesAnAccountAndItsKeyWorks() throws Exception {
        Api.Reply created = Api.post("/api/v1/accounts", Api.ADMIN_TOKEN, "{\"name\":\"Acme Support\"}");
        assertEquals(201, created.status(), created.body());
        JsonObject body = created.json();
        String apiKey = body.getString("apiKey");
        assertTrue(apiKey.startsWith("pons_") && apiKey.length() > 40, apiKey);
        assertEquals("Acme Support", body.getString("name"));

        Api.Reply me = Api.get("/api/v1/account", apiKey);
        assertEquals(200, me.status(), me.body());
        assertEquals(body.getString("id"), me.json().getString("id"));
        assertFalse(me.body().contains(apiKey), "the key is shown once only");

        try (Connection db = TestAccounts.database();
             PreparedStatement query = db.prepareStatement("SELECT key_hash FROM api_key WHERE account_id = ?")) {
            query.setString(1, body.getString("id"));
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                String stored = row.getString(1);
                assertFalse(stored.contains(apiKey), "only a hash of the key is stored");
                assertEquals(64, stored.length());
                assertFalse(row.next(), "an account starts with one key");
            }
        }
    }

    @Test
    void creatingAccountsNeedsTheOperatorToken() {
        assertEquals(401, Api.post("/api/v1/accounts", null, "{\"name\":\"x\"}").status());
        Api.Reply wrong = Api.post("/api/v1/accounts", "wrong", "{\"name\":\"x\"}");
        assertEquals(401, wrong.status());
        assertEquals("missing or invalid operator token", wrong.json().getString("error"));
        // An account key is not the operator token.
        assertEquals(401, Api.post("/api/v1/accounts", TestAccounts.create().apiKey(), "{\"name\":\"x\"}").status());
        // The token is checked before the body: validation tells a caller without it nothing.
        assertEquals(401, Api.post("/api/v1/accounts", null, "{\"name\":\"  \"}").status());
        assertEquals(401, Api.post("/api/v1/accounts", "wrong", "{}").status());
    }

    @Test
    void accountNameIsValidated() {
        Api.Reply blank = Api.post("/api/v1/accounts", Api.ADMIN_TOKEN, "{\"name\":\"  \"}");
        assertEquals(400, blank.status(), blank.body());
        assertEquals("validation failed", blank.json().getString("error"));
        assertTrue(blank.json().getJsonArray("details").getString(0).startsWith("name: "), blank.body());

        Api.Reply missing = Api.post("/api/v1/accounts", Api.ADMIN_TOKEN, "{}");
        assertEquals(400, missing.status(), missing.body());
        assertTrue(missing.body().contains("name: "), missing.body());
    }

    @Test
    void malformedJsonIs400() {
        Api.Reply reply = Api.post("/api/v1/accounts", Api.ADMIN_TOKEN, "{\"name\": ");
        assertEquals(400, reply.status(), reply.body());
        assertEquals("request body is not valid JSON for this call", reply.json().getString("error"));
    }

    @Test
    void unknownOrMissingKeyIs401() {
        assertEquals(401, Api.get("/api/v1/account", null).status());
        Api.Reply bad = Api.get("/api/v1/account", "pons_not-a-key");
        assertEquals(401, bad.status());
        assertEquals("missing or invalid API key", bad.json().getString("error"));
    }

    @Test
    void bodiesOverOneMebibyteAre413() {
        String huge = "{\"name\":\"" + "x".repeat(1024 * 1024) + "\"}";
        Api.Reply reply = Api.post("/api/v1/accounts", Api.ADMIN_TOKEN, huge);
        assertEquals(413, reply.status(), reply.body().length() > 200 ? reply.body().substring(0, 200) : reply.body());
        assertEquals("request body too large", reply.json().getString("error"));
    }
}
