package dev.pons.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.ArtemisManagement;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;

/**
 * -Pprod-topology only (Broker*IT): a JMS target of the server on Artemis, read by a consumer of the broker's
 * own: liberty/jms-artemis.xml's example queue (address PonsExampleTarget) receives each delivery once, the
 * stored envelope with the properties and signature webhooks.md promises.
 */
class BrokerJmsTargetsIT {

    @Test
    void aConsumerOfTheBrokerReceivesEachDeliveryOnceSignedAndCorrelated() throws Exception {
        TestAccount account = TestAccounts.create();
        assertEquals(201, JmsTargetsIT.grant(account, Api.ADMIN_TOKEN, "example").status());
        Api.Reply created = JmsTargetsIT.createJms(account, "example");
        assertEquals(201, created.status(), created.body());
        String secret = created.json().getString("signingSecret");
        String targetId = created.json().getString("id");

        List<String> deliveryIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Api.Reply test = Api.post(account.path("/webhook-targets/" + targetId + "/test"), account.apiKey(), "{}");
            assertEquals(200, test.status(), test.body());
            assertTrue(test.json().getBoolean("succeeded"), "committed to Artemis: " + test.body());
            deliveryIds.add(test.json().getString("deliveryId"));
        }

        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(ArtemisManagement.URL);
             JMSContext jms = factory.createContext(System.getProperty("pons.it.artemisUser"),
                     System.getProperty("pons.it.artemisPassword"))) {
            for (String id : deliveryIds) {
                try (JMSConsumer consumer = jms.createConsumer(jms.createQueue("PonsExampleTarget"),
                        "JMSCorrelationID = '" + id + "'")) {
                    Message message = consumer.receive(10_000);
                    assertNotNull(message, "delivery " + id + " is on the broker's queue");
                    String body = ((TextMessage) message).getText();
                    JsonObject delivery = Api.get(account.path("/deliveries/" + id), account.apiKey()).json();
                    assertEquals(TestAccounts.storedEventBody(delivery.getString("eventId")), body, "the stored envelope, as POSTed");
                    assertEquals(id, message.getStringProperty("PonsDeliveryId"));
                    assertEquals(delivery.getString("eventId"), message.getStringProperty("PonsEventId"));
                    assertEquals(delivery.getString("eventType"), message.getStringProperty("PonsEventType"));
                    assertEquals("1", message.getStringProperty("PonsAttempt"));
                    String timestamp = message.getStringProperty("PonsTimestamp");
                    assertEquals(hmac(secret, timestamp + "." + body), message.getStringProperty("PonsSignature"));
                    assertNull(consumer.receive(300), "delivery " + id + " was sent once");
                }
            }
        }
    }

    private static String hmac(String secret, String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }
}
