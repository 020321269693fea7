package dev.pons.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.Meta;
import dev.pons.it.Receiver;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/** Payload filters: only matching events make deliveries for a target, and a filter can be tried first. */
class FiltersIT {

    static final String BUTTONS = "{\"type\":\"message.inbound.received\",\"payload.type\":\"interactive\","
            + "\"payload.raw.interactive.type\":{\"$in\":[\"button_reply\",\"list_reply\"]}}";

    @Test
    void anEventThatDoesNotMatchMakesNoDeliveryForThatTarget() throws Exception {
        try (Receiver filtered = Receiver.answering(200); Receiver everything = Receiver.answering(200)) {
            TestAccount account = TestAccounts.create();
            String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
            String filteredId = create(account, filtered.url(), ",\"filter\":" + BUTTONS).getString("id");
            create(account, everything.url(), "");

            assertEquals(200, Meta.post(Meta.fresh("inbound-text.json", number)).status());
            assertEquals(200, Meta.post(Meta.fresh("inbound-interactive-button.json", number)).status());
            Api.await("both events at the unfiltered target", Duration.ofSeconds(15),
                    () -> everything.requests().size() >= 2);
            Api.await("the button reply at the filtered one", Duration.ofSeconds(15),
                    () -> !filtered.requests().isEmpty());
            Thread.sleep(500);
            assertEquals(1, filtered.requests().size(), "the text message made no delivery for it");
            JsonObject delivered = Json.createReader(new StringReader(
                    new String(filtered.requests().get(0).body(), java.nio.charset.StandardCharsets.UTF_8))).readObject();
            assertEquals("interactive", delivered.getJsonObject("payload").getString("type"));
            assertEquals(1, Api.get(account.path("/webhook-targets/" + filteredId + "/deliveries"), account.apiKey())
                    .json().getJsonArray("items").size(), "and none in its delivery log");
        }
    }

    @Test
    void aFilterIsShownAsSavedAndPatchReplacesOrRemovesIt() {
        TestAccount account = TestAccounts.create();
        JsonObject created = create(account, "http://127.0.0.1:9/x", ",\"filter\":" + BUTTONS);
        String id = created.getString("id");
        assertEquals(json(BUTTONS), created.getJsonObject("filter"));
        assertEquals(json(BUTTONS), Api.get(account.path("/webhook-targets/" + id), account.apiKey()).json().getJsonObject("filter"));

        Api.Reply renamed = Api.send("PATCH", account.path("/webhook-targets/" + id), account.apiKey(), "{\"name\":\"x\"}");
        assertEquals(json(BUTTONS), renamed.json().getJsonObject("filter"), "a PATCH without filter keeps it");
        Api.Reply replaced = Api.send("PATCH", account.path("/webhook-targets/" + id), account.apiKey(),
                "{\"filter\":{\"payload.from\":{\"$startsWith\":\"49\"}}}");
        assertEquals(json("{\"payload.from\":{\"$startsWith\":\"49\"}}"), replaced.json().getJsonObject("filter"));
        Api.Reply removed = Api.send("PATCH", account.path("/webhook-targets/" + id), account.apiKey(), "{\"filter\":null}");
        assertTrue(removed.json().isNull("filter"), removed.body());
        assertTrue(create(account, "http://127.0.0.1:9/y", "").isNull("filter"), "no filter: null");
    }

    @Test
    void anInvalidFilterAnswers400NamingWhereAndStoresNothing() {
        TestAccount account = TestAccounts.create();
        Api.Reply refused = Api.post(account.path("/webhook-targets"), account.apiKey(),
                "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"],"
                        + "\"filter\":{\"payload.type\":{\"$regex\":\"^inter\"}}}");
        assertEquals(400, refused.status(), refused.body());
        String detail = refused.json().getJsonArray("details").getString(0);
        assertTrue(detail.startsWith("filter.payload.type.$regex: unknown operator"), detail);
        assertEquals(0, Api.get(account.path("/webhook-targets"), account.apiKey()).json().getJsonArray("items").size());
        Api.Reply tooLarge = Api.post(account.path("/webhook-targets"), account.apiKey(),
                "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"],"
                        + "\"filter\":{\"payload.text\":\"" + "x".repeat(5000) + "\"}}");
        assertEquals(400, tooLarge.status());
        assertTrue(tooLarge.json().getJsonArray("details").toString().contains("filter: at most 4096 bytes"), tooLarge.body());
    }

    @Test
    void aFilterCanBeTriedOnOneEventOrOnTheLastOnes() {
        TestAccount account = TestAccounts.create();
        String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        assertEquals(200, Meta.post(Meta.fresh("inbound-text.json", number)).status());
        assertEquals(200, Meta.post(Meta.fresh("inbound-interactive-button.json", number)).status());
        var events = Api.get(account.path("/events"), account.apiKey()).json().getJsonArray("items");
        assertEquals(2, events.size());
        String button = events.getJsonObject(0).getString("id");
        String text = events.getJsonObject(1).getString("id");
        String evaluate = account.path("/filters/evaluate");

        assertTrue(Api.post(evaluate, account.apiKey(), "{\"filter\":" + BUTTONS + ",\"eventId\":\"" + button + "\"}")
                .json().getBoolean("matches"));
        Api.Reply onText = Api.post(evaluate, account.apiKey(), "{\"filter\":" + BUTTONS + ",\"eventId\":\"" + text + "\"}");
        assertEquals(200, onText.status(), onText.body());
        assertFalse(onText.json().getBoolean("matches"));
        assertEquals(json("{\"matched\":1,\"of\":2}"),
                Api.post(evaluate, account.apiKey(), "{\"filter\":" + BUTTONS + ",\"limit\":100}").json());

        assertEquals(400, Api.post(evaluate, account.apiKey(), "{\"filter\":" + BUTTONS + "}").status());
        assertEquals(400, Api.post(evaluate, account.apiKey(), "{\"filter\":" + BUTTONS + ",\"limit\":501}").status());
        assertEquals(400, Api.post(evaluate, account.apiKey(), "{\"filter\":{\"$nope\":1},\"limit\":5}").status());
        TestAccount other = TestAccounts.create();
        assertEquals(404, Api.post(other.path("/filters/evaluate"), other.apiKey(),
                "{\"filter\":null,\"eventId\":\"" + button + "\"}").status(), "another account's event does not exist");
    }

    private static JsonObject create(TestAccount account, String url, String extra) {
        Api.Reply reply = Api.post(account.path("/webhook-targets"), account.apiKey(), "{\"url\":\"" + url
                + "\",\"events\":[\"message.inbound.received\"]" + extra + "}");
        assertEquals(201, reply.status(), reply.body());
        return reply.json();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
