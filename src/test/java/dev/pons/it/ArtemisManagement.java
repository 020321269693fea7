package dev.pons.it;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Questions to the external Artemis broker of -Pprod-topology through its management address
 * ({@code pons.it.artemisUrl}, user and password from {@code pons.it.artemisUser}/{@code artemisPassword}).
 */
public final class ArtemisManagement {

    public static final String URL = System.getProperty("pons.it.artemisUrl", "");

    /** Fills a management request. */
    interface Question {
        void put(Message request) throws Exception;
    }

    private ArtemisManagement() {
    }

    /** An attribute of a broker resource, e.g. {@code ("queue.PonsDeliveryQueue", "messageCount")}. */
    public static Object attribute(String resource, String attribute) throws Exception {
        return ask(request -> JMSManagementHelper.putAttribute(request, resource, attribute));
    }

    /** The result of an operation on a broker resource. */
    public static Object operation(String resource, String operation, Object... parameters) throws Exception {
        return ask(request -> JMSManagementHelper.putOperationInvocation(request, resource, operation, parameters));
    }

    private static Object ask(Question question) throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(URL);
             QueueConnection connection = factory.createQueueConnection(System.getProperty("pons.it.artemisUser"),
                     System.getProperty("pons.it.artemisPassword"))) {
            QueueSession session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.start();
            QueueRequestor requestor = new QueueRequestor(session, ActiveMQJMSClient.createQueue("activemq.management"));
            Message request = session.createMessage();
            question.put(request);
            return JMSManagementHelper.getResult(requestor.request(request));
        } catch (JMSException e) {
            throw new IllegalStateException("the broker at " + URL + " did not answer: " + e, e);
        }
    }
}
