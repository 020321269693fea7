package dev.pons.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

import dev.pons.it.ArtemisManagement;

/**
 * With an external Artemis broker (-Pprod-topology) the broker, not the server, owns redelivery: its
 * address settings must match the embedded engine's (liberty/jms-embedded.xml). Runs only under
 * -Pprod-topology (the default build excludes it): there is no external broker to ask otherwise.
 */
class BrokerSettingsIT {

    static final String URL = ArtemisManagement.URL;

    @Test
    void redeliveryLimitsAndDeadLetterAddressMatchTheEmbeddedEngine() throws Exception {
        assertFalse(URL.isBlank(), "pons.it.artemisUrl names the external broker (set by -Pprod-topology)");
        assertSettings("PonsDeliveryQueue", 5, "PonsDeadLetterQueue");
        assertSettings("PonsIngestQueue", 5, "PonsDeadLetterQueue");
        assertSettings("PonsPingQueue", 3, "PonsDeadLetterQueue");
        assertEquals(-1, settings("PonsDeadLetterQueue").getInt("maxDeliveryAttempts"), "dead letters are never dropped");
    }

    private static void assertSettings(String queue, int maxDeliveryAttempts, String deadLetterAddress) throws Exception {
        JsonObject settings = settings(queue);
        assertEquals(maxDeliveryAttempts, settings.getInt("maxDeliveryAttempts"), queue + ": " + settings);
        assertEquals(deadLetterAddress, settings.getString("deadLetterAddress"), queue + ": " + settings);
    }

    private static JsonObject settings(String address) throws Exception {
        Object result = ArtemisManagement.operation("broker", "getAddressSettingsAsJSON", address);
        return Json.createReader(new StringReader(String.valueOf(result))).readObject();
    }
}
