package dev.pons.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/**
 * The API rules of JMS targets and of the operator's grants. The IT server's configuration (pom.xml) lists the
 * destinations {@code example} (liberty/jms-*.xml's example queue) and {@code nowhere}; delivery itself is
 * proven in the server (dev.pons.incontainer.JmsDeliveryIT) and on Artemis.
 */
class JmsTargetsIT {

    static final String EVENTS = "\"events\":[\"message.inbound.received\"]";

    static Api.Reply grant(TestAccount account, String token, String name) {
        return Api.post(account.path("/jms-destinations"), token, "{\"name\":\"" + name + "\"}");
    }

    static Api.Reply createJms(TestAccount account, String destination) {
        return Api.post(account.path("/webhook-targets"), account.apiKey(),
                "{\"type\":\"jms\",\"destination\":\"" + destination + "\"," + EVENTS + "}");
    }

    static List<String> details(Api.Reply reply) {
        return reply.json().getJsonArray("details").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    @Test
    void onlyTheOperatorGrantsAndRevokesAndTheAccountSeesItsGrants() {
        TestAccount account = TestAccounts.create();
        assertEquals(401, grant(account, account.apiKey(), "example").status(), "an account cannot grant itself a destination");
        Api.Reply granted = grant(account, Api.ADMIN_TOKEN, "example");
        assertEquals(201, granted.status(), granted.body());
        assertEquals("example", granted.json().getString("name"));
        assertEquals("queue", granted.json().getString("kind"));
        Api.Reply again = grant(account, Api.ADMIN_TOKEN, "example");
        assertEquals(200, again.status(), "granting again changes nothing: " + again.body());

        for (String token : List.of(account.apiKey(), Api.ADMIN_TOKEN)) {
            Api.Reply list = Api.get(account.path("/jms-destinations"), token);
            assertEquals(200, list.status(), list.body());
            assertEquals(1, list.json().getJsonArray("items").size(), list.body());
            assertEquals("example", list.json().getJsonArray("items").getJsonObject(0).getString("name"));
            assertTrue(!list.body().contains("jms/pons"), "the JNDI names stay the operator's: " + list.body());
        }
        assertEquals(404, Api.get(TestAccounts.create().path("/jms-destinations"), account.apiKey()).status(),
                "another account's grants are not this key's business");

        assertEquals(401, Api.send("DELETE", account.path("/jms-destinations/example"), account.apiKey(), null).status());
        assertEquals(204, Api.send("DELETE", account.path("/jms-destinations/example"), Api.ADMIN_TOKEN, null).status());
        assertEquals(404, Api.send("DELETE", account.path("/jms-destinations/example"), Api.ADMIN_TOKEN, null).status());
        assertEquals(0, Api.get(account.path("/jms-destinations"), account.apiKey()).json().getJsonArray("items").size());
    }

    @Test
    void aNameTheServerDoesNotConfigureCannotBeGranted() {
        TestAccount account = TestAccounts.create();
        Api.Reply refused = grant(account, Api.ADMIN_TOKEN, "jms/pons/DeliveryQueue");
        assertEquals(400, refused.status(), refused.body());
        assertTrue(details(refused).get(0).startsWith("name: must be a destination configured as pons.jms-targets."),
                refused.body());
        assertEquals(404, grant(new TestAccount("acct_none", "x"), Api.ADMIN_TOKEN, "example").status());
    }

    @Test
    void aJmsTargetNamesAGrantedDestinationAndShowsItsTypeAndDestination() {
        TestAccount account = TestAccounts.create();
        Api.Reply ungranted = createJms(account, "not-configured-anywhere");
        assertEquals(400, ungranted.status(), ungranted.body());
        assertEquals(List.of("destination: not-configured-anywhere is not a JMS destination granted to this account"),
                details(ungranted));

        assertEquals(201, grant(account, Api.ADMIN_TOKEN, "example").status());
        Api.Reply created = createJms(account, "example");
        assertEquals(201, created.status(), created.body());
        JsonObject target = created.json();
        assertEquals("jms", target.getString("type"));
        assertEquals("example", target.getString("destination"));
        assertEquals(JsonValue.NULL, target.get("url"));
        assertEquals("example", target.getString("name"), "the destination names a target that has no name of its own");
        assertTrue(target.getString("signingSecret").startsWith("whsec_"), "a JMS target's messages are signed too");

        String path = account.path("/webhook-targets/" + target.getString("id"));
        Api.Reply shown = Api.get(path, account.apiKey());
        assertEquals("jms", shown.json().getString("type"));
        assertEquals("example", shown.json().getString("destination"));

        // The other fields work as for an HTTP target; the target sent back as shown is accepted.
        Api.Reply patched = Api.send("PATCH", path, account.apiKey(),
                "{\"maxAttempts\":3,\"ordering\":\"fifo\",\"rateLimitPerSecond\":5,\"enabled\":false}");
        assertEquals(200, patched.status(), patched.body());
        assertEquals(3, patched.json().getInt("maxAttempts"));
        assertEquals("fifo", patched.json().getString("ordering"));
        assertEquals(5, patched.json().getInt("rateLimitPerSecond"));
        Api.Reply roundTrip = Api.send("PATCH", path, account.apiKey(), withoutSecret(patched.json()));
        assertEquals(200, roundTrip.status(), roundTrip.body());

        Api.Reply http = Api.post(account.path("/webhook-targets"), account.apiKey(), TargetsIT.VALID);
        assertEquals(201, http.status(), http.body());
        assertEquals("http", http.json().getString("type"), "http is the default type");
        assertEquals(JsonValue.NULL, http.json().get("destination"));
    }

    @Test
    void aDestinationGrantedOnlyToAnotherAccountIsNotFound() {
        TestAccount owner = TestAccounts.create();
        assertEquals(201, grant(owner, Api.ADMIN_TOKEN, "example").status());
        TestAccount other = TestAccounts.create();
        Api.Reply refused = createJms(other, "example");
        assertEquals(404, refused.status(), refused.body());

        Api.Reply http = Api.post(other.path("/webhook-targets"), other.apiKey(), TargetsIT.VALID);
        assertEquals(201, http.status());
        assertEquals(400, Api.send("PATCH", other.path("/webhook-targets/" + http.json().getString("id")),
                other.apiKey(), "{\"destination\":\"example\"}").status(), "an http target has no destination");
    }

    @Test
    void urlIsRefusedForAJmsTargetAndDestinationForAnHttpTargetNamingTheField() {
        TestAccount account = TestAccounts.create();
        assertEquals(201, grant(account, Api.ADMIN_TOKEN, "example").status());

        Api.Reply jmsWithUrl = Api.post(account.path("/webhook-targets"), account.apiKey(),
                "{\"type\":\"jms\",\"destination\":\"example\",\"url\":\"http://127.0.0.1:9/x\"," + EVENTS + "}");
        assertEquals(400, jmsWithUrl.status(), jmsWithUrl.body());
        assertTrue(details(jmsWithUrl).stream().anyMatch(d -> d.startsWith("url: ")), jmsWithUrl.body());

        Api.Reply jmsWithoutDestination = Api.post(account.path("/webhook-targets"), account.apiKey(),
                "{\"type\":\"jms\"," + EVENTS + "}");
        assertEquals(400, jmsWithoutDestination.status());
        assertEquals(List.of("destination: is required"), details(jmsWithoutDestination));

        Api.Reply httpWithDestination = Api.post(account.path("/webhook-targets"), account.apiKey(),
                "{\"url\":\"http://127.0.0.1:9/x\",\"destination\":\"example\"," + EVENTS + "}");
        assertEquals(400, httpWithDestination.status(), httpWithDestination.body());
        assertTrue(details(httpWithDestination).stream().anyMatch(d -> d.startsWith("destination: ")),
                httpWithDestination.body());

        Api.Reply unknownType = Api.post(account.path("/webhook-targets"), account.apiKey(),
                "{\"type\":\"smtp\",\"url\":\"http://127.0.0.1:9/x\"," + EVENTS + "}");
        assertEquals(400, unknownType.status());
        assertTrue(details(unknownType).contains("type: must be \"http\" or \"jms\""), unknownType.body());

        Api.Reply created = createJms(account, "example");
        assertEquals(201, created.status(), created.body());
        String path = account.path("/webhook-targets/" + created.json().getString("id"));
        Api.Reply patchUrl = Api.send("PATCH", path, account.apiKey(), "{\"url\":\"http://127.0.0.1:9/x\"}");
        assertEquals(400, patchUrl.status());
        assertTrue(details(patchUrl).get(0).startsWith("url: "), patchUrl.body());
        Api.Reply patchType = Api.send("PATCH", path, account.apiKey(), "{\"type\":\"http\"}");
        assertEquals(400, patchType.status());
        assertTrue(details(patchType).get(0).startsWith("type: "), patchType.body());
        Api.Reply headers = Api.send("PATCH", path, account.apiKey(), "{\"headers\":{\"Authorization\":\"Bearer x\"}}");
        assertEquals(400, headers.status());
        assertTrue(details(headers).get(0).startsWith("headers: "), headers.body());
        // A name no account is granted: other tests (and earlier runs on the same database) grant "nowhere".
        Api.Reply patchDestination = Api.send("PATCH", path, account.apiKey(), "{\"destination\":\"not-configured-anywhere\"}");
        assertEquals(400, patchDestination.status(), "an ungranted destination: " + patchDestination.body());
    }

    @Test
    void aTestSendIsCommittedToTheDestinationAndOneTheServerDoesNotBindFailsVisibly() {
        TestAccount account = TestAccounts.create();
        assertEquals(201, grant(account, Api.ADMIN_TOKEN, "example").status());
        assertEquals(201, grant(account, Api.ADMIN_TOKEN, "nowhere").status());

        String example = createJms(account, "example").json().getString("id");
        JsonObject delivered = testSend(account, example);
        assertTrue(delivered.getBoolean("succeeded"), delivered.toString());
        JsonObject attempt = delivered.getJsonObject("attempt");
        assertEquals(JsonValue.NULL, attempt.get("statusCode"), "a JMS send has no HTTP status");
        assertEquals("committed to example", attempt.getString("responseSnippet"));
        assertEquals(List.of(1, 0), lastDay(account, example), "the chart counts the committed send as succeeded");

        Api.Reply nowhere = Api.post(account.path("/webhook-targets"), account.apiKey(),
                "{\"type\":\"jms\",\"destination\":\"nowhere\",\"maxAttempts\":1," + EVENTS + "}");
        assertEquals(201, nowhere.status(), nowhere.body());
        JsonObject failed = testSend(account, nowhere.json().getString("id"));
        assertTrue(!failed.getBoolean("succeeded"), failed.toString());
        assertTrue(failed.getJsonObject("attempt").getString("error").startsWith("destination unavailable: nowhere"),
                failed.toString());
        JsonObject target = Api.get(account.path("/webhook-targets/" + nowhere.json().getString("id")), account.apiKey()).json();
        assertEquals(1, target.getInt("consecutiveFailures"), "the failure counts toward the target's health");
        assertEquals(List.of(0, 1), lastDay(account, nowhere.json().getString("id")));
    }

    /** Succeeded and failed attempts of the target's last 24 hours (the dashboard's chart), summed over the hours. */
    private static List<Integer> lastDay(TestAccount account, String targetId) {
        Api.Reply stats = Api.get(account.path("/webhook-targets/" + targetId + "/stats"), account.apiKey());
        assertEquals(200, stats.status(), stats.body());
        List<JsonObject> hours = stats.json().getJsonArray("hours").getValuesAs(JsonObject.class);
        return List.of(hours.stream().mapToInt(h -> h.getInt("succeeded")).sum(),
                hours.stream().mapToInt(h -> h.getInt("failed")).sum());
    }

    private static JsonObject testSend(TestAccount account, String targetId) {
        Api.Reply test = Api.post(account.path("/webhook-targets/" + targetId + "/test"), account.apiKey(), "{}");
        assertEquals(200, test.status(), test.body());
        return test.json();
    }

    /** The target as shown, minus what only the create answer carries. */
    private static String withoutSecret(JsonObject target) {
        return Json.createObjectBuilder(target).remove("signingSecret").build().toString();
    }
}
