package dev.pons.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;

class HealthIT {

    @Test
    void readyReportsEachDependencyUp() {
        Api.Reply reply = Api.get("/health/ready", null);
        assertEquals(200, reply.status(), reply.body());
        JsonObject body = reply.json();
        assertEquals("UP", body.getString("status"));
        JsonObject data = body.getJsonArray("checks").getJsonObject(0).getJsonObject("data");
        assertEquals("migrated", data.getString("schema"));
        assertEquals("up", data.getString("database"));
        assertEquals("up", data.getString("broker"));
    }

    @Test
    void liveIsUp() {
        Api.Reply reply = Api.get("/health/live", null);
        assertEquals(200, reply.status(), reply.body());
        assertEquals("UP", reply.json().getString("status"));
    }

    @Test
    void openApiDocumentIsServed() {
        Api.Reply reply = Api.get("/openapi", null);
        assertEquals(200, reply.status());
        for (String path : new String[] {"\"/api/v1/accounts\"", "\"/api/v1/accounts/{accountId}/webhook-targets\"",
                "\"/api/v1/accounts/{accountId}/deliveries/{deliveryId}/retry\"", "\"/webhooks/meta\""}) {
            assertTrue(reply.body().contains(path), path + " documented");
        }
        assertFalse(reply.body().contains("/webhooks/v1/"), "API paths are not documented under /webhooks");
    }

    @Test
    void unknownApiPathIsJson404() {
        Api.Reply reply = Api.get("/api/v1/no-such-thing", null);
        assertEquals(404, reply.status());
        assertEquals("not found", reply.json().getString("error"));
    }
}
