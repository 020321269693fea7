package dev.pons.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;

/** REST → JPA → JMS → MDB → DB on the real server, and what happens to a message that keeps failing. */
class PingPipelineIT {

    private static JsonObject ping(String id) {
        Api.Reply reply = Api.get("/api/v1/diagnostics/pings/" + id, Api.ADMIN_TOKEN);
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    @Test
    void pingTravelsThroughTheBrokerAndIsRecorded() {
        Api.Reply sent = Api.post("/api/v1/diagnostics/pings", Api.ADMIN_TOKEN, null);
        assertEquals(202, sent.status(), sent.body());
        String id = sent.json().getString("id");
        assertTrue(id.startsWith("ping_"), id);

        Api.await("ping received", Duration.ofSeconds(20),
                () -> ping(id).get("receivedAt").getValueType() != JsonValue.ValueType.NULL);
        JsonObject done = ping(id);
        assertEquals(1, done.getInt("attempts"));
        assertEquals(JsonValue.NULL, done.get("deadLetteredAt"));
    }

    @Test
    void poisonMessageIsRedeliveredThenDeadLettered() {
        Api.Reply sent = Api.post("/api/v1/diagnostics/pings?poison=true", Api.ADMIN_TOKEN, null);
        assertEquals(202, sent.status(), sent.body());
        String id = sent.json().getString("id");

        Api.await("ping dead-lettered", Duration.ofSeconds(60),
                () -> ping(id).get("deadLetteredAt").getValueType() != JsonValue.ValueType.NULL);
        JsonObject done = ping(id);
        assertTrue(done.getInt("attempts") >= 2, "redelivered before giving up: " + done);
        assertEquals(JsonValue.NULL, done.get("receivedAt"));
    }

    @Test
    void pingsNeedTheOperatorToken() {
        assertEquals(401, Api.post("/api/v1/diagnostics/pings", null, null).status());
        Api.Reply wrong = Api.post("/api/v1/diagnostics/pings", "not-the-token", null);
        assertEquals(401, wrong.status());
        assertEquals("missing or invalid operator token", wrong.json().getString("error"));
        assertNull(Api.string(wrong.json(), "id"));
    }
}
