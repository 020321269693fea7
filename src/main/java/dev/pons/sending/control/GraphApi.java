package dev.pons.sending.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.eclipse.microprofile.faulttolerance.Bulkhead;

import dev.pons.platform.control.CloudApi;

/**
 * {@code POST {graph-base-url}/{phone-number-id}/messages} of the WhatsApp Cloud API. Every outcome,
 * failures included, is a {@link GraphReply}; nothing here retries, since a repeated POST would
 * send the customer the message twice. Redirects are never followed: the token must not travel on.
 */
@ApplicationScoped
public class GraphApi {

    @Inject
    CloudApi cloudApi;

    /**
     * Never inside a transaction: the answer may take the whole timeout, and no database connection
     * or transaction timeout should wait on Meta. The bulkhead bounds the request threads one
     * instance lets wait; when full it refuses at once (BulkheadException), before anything is sent.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    @Bulkhead(value = 32)
    public GraphReply send(String phoneNumberId, String accessToken, JsonObject message) {
        try {
            HttpResponse<String> response = cloudApi.exchange("/" + phoneNumberId + "/messages", accessToken,
                    request -> request.header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(message.toString(), StandardCharsets.UTF_8)));
            return GraphReply.parse(response.statusCode(), response.body());
        } catch (CloudApi.Failure failure) {
            return failure.outcomeUnknown() ? GraphReply.timeout(cloudApi.timeoutMs())
                    : GraphReply.unreachable(failure.getMessage());
        }
    }
}
