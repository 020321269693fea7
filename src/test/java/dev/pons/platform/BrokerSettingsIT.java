package dev.pons.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.jms.Message;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * With an external Artemis broker (-Pprod-topology) the broker, not the server, owns redelivery: its
 * address settings must match the embedded engine's (liberty/jms-embedded.xml). Runs only under
 * -Pprod-topology (the default build excludes it): there is no external broker to ask otherwise.
 */
class BrokerSettingsIT {

    static final String URL = System.getProperty("pons.it.artemisUrl", "");

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
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(URL);
             QueueConnection connection = factory.createQueueConnection(System.getProperty("pons.it.artemisUser"),
                     System.getProperty("pons.it.artemisPassword"))) {
            QueueSession session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.start();
            QueueRequestor requestor = new QueueRequestor(session, ActiveMQJMSClient.createQueue("activemq.management"));
            Message request = session.createMessage();
            JMSManagementHelper.putOperationInvocation(request, "broker", "getAddressSettingsAsJSON", address);
            Object result = JMSManagementHelper.getResult(requestor.request(request));
            return Json.createReader(new StringReader(String.valueOf(result))).readObject();
        }
    }
}
