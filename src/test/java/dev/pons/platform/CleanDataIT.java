package dev.pons.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pons.it.Api;
import dev.pons.it.Receiver;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/**
 * What reaches the database is text every database stores: a receiver's answer with NUL bytes ends its
 * delivery with a clean snippet (PostgreSQL refuses a NUL, and an outcome it cannot store would be sent
 * again forever), and input with control characters or beyond a column's size answers 400 naming the
 * field, writing nothing. Runs on PostgreSQL too, in -Pprod-topology.
 */
class CleanDataIT {

    static TestAccount account;
    static String targetId;

    @BeforeAll
    static void setUp() {
        account = TestAccounts.create();
        Api.Reply created = Api.post(account.path("/webhook-targets"), account.apiKey(),
                "{\"name\":\"kept\",\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"message.inbound.received\"]}");
        assertEquals(201, created.status(), created.body());
        targetId = created.json().getString("id");
    }

    @Test
    void anAnswerWithNulBytesEndsTheDeliveryWithACleanSnippet() throws Exception {
        try (Receiver receiver = Receiver.answering(request -> new Receiver.Answer(500,
                "{\"error\":\"bad\u0000\u0000answer\u0001\u007f\u0085\",\n\t\"more\":true}", Map.of(), false))) {
            TestAccount owner = TestAccounts.create();
            Api.Reply target = Api.post(owner.path("/webhook-targets"), owner.apiKey(), "{\"url\":\"" + receiver.url()
                    + "\",\"events\":[\"message.inbound.received\"],\"maxAttempts\":2,\"initialBackoffMs\":100,"
                    + "\"maxBackoffMs\":1000}");
            assertEquals(201, target.status(), target.body());
            String id = target.json().getString("id");
            Api.Reply test = Api.post(owner.path("/webhook-targets/" + id + "/test"), owner.apiKey(), "{}");
            assertEquals(200, test.status(), test.body());
            String deliveryId = test.json().getString("deliveryId");

            Api.await("the delivery failed after its two attempts", Duration.ofSeconds(30),
                    () -> "failed".equals(delivery(owner, deliveryId).getString("status")));
            JsonObject delivery = delivery(owner, deliveryId);
            JsonArray attempts = delivery.getJsonArray("attempts");
            assertEquals(2, attempts.size(), delivery.toString());
            for (int i = 0; i < attempts.size(); i++) {
                assertEquals("{\"error\":\"badanswer\",\n\t\"more\":true}",
                        attempts.getJsonObject(i).getString("responseSnippet"), delivery.toString());
            }
            assertEquals(2, receiver.requests().size(), "sent twice, not again once it failed");
            try (Connection db = TestAccounts.database();
                 PreparedStatement query = db.prepareStatement(
                         "SELECT response_snippet FROM delivery_attempt WHERE delivery_id = ?")) {
                query.setString(1, deliveryId);
                try (ResultSet rows = query.executeQuery()) {
                    int n = 0;
                    while (rows.next()) {
                        n++;
                        assertFalse(rows.getString(1).chars().anyMatch(c -> c == 0), rows.getString(1));
                    }
                    assertEquals(2, n);
                }
            }
            Thread.sleep(1_500);
            assertEquals(2, receiver.requests().size(), "a failed delivery is not sent again");
        }
    }

    static JsonObject delivery(TestAccount owner, String deliveryId) {
        Api.Reply reply = Api.get(owner.path("/deliveries/" + deliveryId), owner.apiKey());
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    /** Each body refused with the detail it must name; \0 stands for a NUL written as a JSON escape. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "/webhook-targets|{'url':'http://127.0.0.1:9/x','events':['message.inbound.received'],'name':'C\\0RM'}|name: must not contain control characters",
            "/webhook-targets|{'url':'http://127.0.0.1:9/x\\0','events':['message.inbound.received']}|url: must not contain control characters",
            "/webhook-targets|{'url':'http://127.0.0.1:9/x','events':['message.inbound.received'],'phoneNumberIds':['1\\02']}|phoneNumberIds: each entry must not contain control characters",
            "/webhook-targets|{'url':'http://127.0.0.1:9/x','events':['message.inbound.received'],'phoneNumberIds':['11111111111111111111111111111111111111111111111111111111111111111']}|phoneNumberIds: each entry must be at most 64 characters",
            "/webhook-targets|{'url':'http://127.0.0.1:9/x','events':['message.inbound.received'],'headers':{'Authorization':'Bearer a\\0b'}}|headers.Authorization: the value must be at most 1024 printable ASCII characters (no line breaks or control characters)",
            "/webhook-targets|{'url':'http://127.0.0.1:9/x','events':['message.inbound.received'],'filter':{'payload.text':'a\\0b'}}|filter.payload.text: must not contain control characters other than tabs and line breaks",
            "/webhook-targets|{'url':'http://127.0.0.1:9/x','events':['message.inbound.received'],'filter':{'payload.te\\0xt':'a'}}|filter: field names and operators must not contain control characters",
            "/webhook-targets|{'url':'http://127.0.0.1:9/x','events':['message.inbound.received'],'filter':{'type':{'$in':['a','b\\0']}}}|filter.type.$in[1]: must not contain control characters other than tabs and line breaks",
            "/filters/evaluate|{'filter':{},'eventId':'evt_\\0'}|eventId: must not contain control characters",
            "/api-keys|{'name':'ci\\0'}|name: must not contain control characters",
            "/messages|{'phoneNumberId':'1','to':'+16505551234','type':'text','text':{'body':'hi\\0'}}|text.body: must not contain control characters other than tabs and line breaks",
            "/messages|{'phoneNumberId':'1','to':'+16505551234','type':'text','text':{'body':'hi'},'context':{'messageId':'wamid.\\0'}}|context.messageId: must not contain control characters",
    })
    void inputWithControlCharactersOrTooLongIsRefusedAndWritesNothing(String path, String body, String detail) {
        String json = body.replace('\'', '"').replace("\\0", "\\u0000");
        int targetsBefore = targets().size();
        Api.Reply reply = Api.post(account.path(path), account.apiKey(), json);
        assertEquals(400, reply.status(), reply.body());
        assertTrue(reply.json().getJsonArray("details").getValuesAs(jakarta.json.JsonString.class).stream()
                .anyMatch(d -> d.getString().equals(detail)), reply.body());
        assertEquals(targetsBefore, targets().size(), "no target written");
        assertEquals(1, Api.get(account.path("/api-keys"), account.apiKey()).json().getJsonArray("items").size(),
                "no key written");
    }

    @Test
    void anAccountNameWithAControlCharacterIsRefused() {
        Api.Reply reply = Api.post("/api/v1/accounts", Api.ADMIN_TOKEN, "{\"name\":\"Acme\\u0000\"}");
        assertEquals(400, reply.status(), reply.body());
        assertEquals("name: must not contain control characters",
                reply.json().getJsonArray("details").getString(0), reply.body());
    }

    @Test
    void aTargetPatchWithAControlCharacterChangesNothing() {
        Api.Reply reply = Api.send("PATCH", account.path("/webhook-targets/" + targetId), account.apiKey(),
                "{\"name\":\"new\",\"url\":\"http://127.0.0.1:9/\\u0007\"}");
        assertEquals(400, reply.status(), reply.body());
        assertEquals("kept", Api.get(account.path("/webhook-targets/" + targetId), account.apiKey())
                .json().getString("name"));
    }

    /** Query and path parameters: malformed or with a control character, 400 in the API's shape, never 404 or 500. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "/webhook-targets?limit=abc|limit: must be a whole number from 1 to 100",
            "/webhook-targets?cursor=whk_%00|cursor: must not contain control characters",
            "/events?limit=1.5|limit: must be a whole number from 1 to 100",
            "/events?type=message.inbound.received%00|type: must not contain control characters",
            "/webhook-targets/{target}/deliveries?status=%00|status: must not contain control characters",
            "/webhook-targets/{target}/deliveries?status=lost|status: must be one of pending, succeeded, failed",
    })
    void malformedParametersAnswer400(String path, String detail) {
        Api.Reply reply = Api.get(account.path(path.replace("{target}", targetId)), account.apiKey());
        assertEquals(400, reply.status(), reply.body());
        assertEquals(List.of(detail), reply.json().getJsonArray("details").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList(), reply.body());
    }

    @Test
    void aPathWithAControlCharacterIsRefused() {
        // Liberty refuses such a URI before the application sees it, in its own shape; elsewhere the API's
        // parameter check answers. Either way: 400, and no query with it reaches the database.
        Api.Reply reply = Api.get(account.path("/deliveries/dlv_%01x"), account.apiKey());
        assertEquals(400, reply.status(), reply.body());
    }

    static List<String> targets() {
        Api.Reply reply = Api.get(account.path("/webhook-targets?limit=100"), account.apiKey());
        assertEquals(200, reply.status(), reply.body());
        List<String> ids = new ArrayList<>();
        reply.json().getJsonArray("items").forEach(item -> ids.add(item.asJsonObject().getString("id")));
        return ids;
    }
}
