package dev.pons.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    static TestAccount tried;
    static String textEvent;

    /** One inbound text message ("Hi, is my order #8812 shipped yet?" from 16505551234) to try filters on. */
    @BeforeAll
    static void anEventToTryFiltersOn() {
        tried = TestAccounts.create();
        String number = TestAccounts.registerNumber(tried, TestAccounts.newPhoneNumberId());
        assertEquals(200, Meta.post(Meta.fresh("inbound-text.json", number)).status());
        textEvent = Api.get(tried.path("/events"), tried.apiKey()).json().getJsonArray("items").getJsonObject(0).getString("id");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"payload.type\":\"text\"}|true",
            "{\"payload.type\":\"image\"}|false",
            "{\"payload.type\":{\"$eq\":\"text\"}}|true",
            "{\"payload.type\":{\"$ne\":\"text\"}}|false",
            "{\"payload.type\":{\"$in\":[\"image\",\"text\"]}}|true",
            "{\"payload.type\":{\"$nin\":[\"image\",\"text\"]}}|false",
            "{\"payload.caption\":{\"$exists\":false}}|true",
            "{\"payload.text\":{\"$exists\":false}}|false",
            "{\"payload.from\":{\"$startsWith\":\"1650\"}}|true",
            "{\"payload.from\":{\"$startsWith\":\"49\"}}|false",
            "{\"payload.text\":{\"$contains\":\"#8812\"}}|true",
            "{\"payload.text\":{\"$contains\":\"refund\"}}|false",
            "{\"occurredAt\":{\"$gt\":1768215303999}}|true",
            "{\"occurredAt\":{\"$gte\":1768215304000.0}}|true",
            "{\"occurredAt\":{\"$lt\":1768215304000}}|false",
            "{\"occurredAt\":{\"$lte\":1768215304000}}|true",
            "{\"payload.raw.text.body\":{\"$startsWith\":\"Hi,\"}}|true",
            "{\"$and\":[{\"type\":\"message.inbound.received\"},{\"payload.type\":\"text\"}]}|true",
            "{\"$or\":[{\"payload.type\":\"image\"},{\"payload.type\":\"audio\"}]}|false",
            "{\"$not\":{\"payload.type\":\"image\"}}|true",
            "{}|true"})
    void eachOperatorOnARealEnvelope(String filter, boolean expected) {
        Api.Reply reply = Api.post(tried.path("/filters/evaluate"), tried.apiKey(),
                "{\"filter\":" + filter + ",\"eventId\":\"" + textEvent + "\"}");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(expected, reply.json().getBoolean("matches"), filter);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"payload.type\":{\"$regex\":\"t\"}}|filter.payload.type.$regex: unknown operator",
            "{\"payload.type\":{\"$in\":\"text\"}}|filter.payload.type.$in: must be an array",
            "{\"payload.type\":{\"$nin\":[{}]}}|filter.payload.type.$nin: must be an array",
            "{\"payload.type\":{\"$eq\":[1]}}|filter.payload.type.$eq: must be a string, number, boolean or null",
            "{\"payload.type\":{\"$exists\":\"yes\"}}|filter.payload.type.$exists: must be true or false",
            "{\"payload.type\":{\"$startsWith\":1}}|filter.payload.type.$startsWith: must be a string",
            "{\"payload.text\":{\"$contains\":{}}}|filter.payload.text.$contains: must be a string, number, boolean or null",
            "{\"occurredAt\":{\"$gt\":\"soon\"}}|filter.occurredAt.$gt: must be a number",
            "{\"occurredAt\":{\"$lte\":null}}|filter.occurredAt.$lte: must be a number",
            "{\"$and\":[]}|filter.$and: must not be empty",
            "{\"$or\":[1]}|filter.$or[0]: must be an object",
            "{\"$not\":[]}|filter.$not: ",
            "[\"payload.type\"]|filter: must be an object",
            "{\"$not\":{\"$not\":{\"$not\":{\"$not\":{\"$not\":{\"$not\":{\"$not\":{\"$not\":{\"type\":\"x\"}}}}}}}}}|at most 8 levels deep"})
    void eachMistakeAnswers400NamingItsPath(String filter, String detail) {
        Api.Reply reply = Api.post(tried.path("/filters/evaluate"), tried.apiKey(), "{\"filter\":" + filter + ",\"limit\":1}");
        assertEquals(400, reply.status(), reply.body());
        assertTrue(reply.json().getJsonArray("details").toString().contains(detail), reply.body());
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
