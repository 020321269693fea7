package dev.pons.sending.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.accounts.control.Accounts;
import dev.pons.accounts.entity.Account;
import dev.pons.sending.control.GraphReply;
import dev.pons.sending.control.MessageRequest;
import dev.pons.sending.control.Messages;
import dev.pons.sending.control.SendError;
import dev.pons.sending.entity.OutboundMessage;

/**
 * The send API. No transaction here: the call to Meta runs outside any, and the outcome is stored
 * with its event in one of its own (see {@link Messages#send}).
 */
@Path("v1/accounts/{accountId}/messages")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequestScoped
@Tag(name = "Messages")
public class MessagesResource {

    static final String TEXT_EXAMPLE = "{\"phoneNumberId\":\"106540352242922\",\"to\":\"+16505551234\","
            + "\"type\":\"text\",\"text\":{\"body\":\"Your order 8812 has shipped\",\"previewUrl\":false}}";
    static final String TEMPLATE_EXAMPLE = "{\"phoneNumberId\":\"106540352242922\",\"to\":\"16505551234\","
            + "\"type\":\"template\",\"template\":{\"name\":\"order_update\",\"language\":\"en_US\",\"components\":"
            + "[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"8812\"}]}]}}";
    static final String REPLY_EXAMPLE = "{\"phoneNumberId\":\"106540352242922\",\"to\":\"16505551234\","
            + "\"type\":\"text\",\"text\":{\"body\":\"Thanks!\"},\"context\":{\"messageId\":\"wamid.HBgL...\"}}";
    static final String FAILED_EXAMPLE = "{\"error\":\"WhatsApp Cloud API refused the message\",\"details\":"
            + "[\"(#130429) Rate limit hit\",\"Message failed to send because there were too many messages sent from"
            + " this phone number in a short period of time\"],\"messageId\":\"msg_01kf...\",\"status\":\"failed\","
            + "\"metaError\":{\"code\":130429,\"title\":\"Rate limit hit\",\"message\":\"(#130429) Rate limit hit\","
            + "\"details\":\"Message failed to send because there were too many messages sent from this phone number"
            + " in a short period of time\"}}";

    public record SentView(String messageId, String waMessageId, String status, String phoneNumberId, String to,
                           String type, long createdAt) {
        static SentView of(OutboundMessage message) {
            return new SentView(message.getId(), message.getWaMessageId(), message.getStatus(),
                    message.getPhoneNumberId(), message.getRecipient(), message.getType(), message.getCreatedAt());
        }
    }

    /** The API's error shape ({@code error}, {@code details}) plus the stored message and why it failed. */
    public record FailedView(String error, List<String> details, String messageId, String status,
                             SendError metaError) {
    }

    @Inject
    Accounts accounts;

    @Inject
    Messages messages;

    @POST
    @Operation(summary = "Send a WhatsApp text or template message from one of the account's numbers",
            description = "Calls the Cloud API with the number's stored access token, once (never retried: a retry"
                    + " could reach the customer twice). Emits message.outbound.sent or message.outbound.failed."
                    + " A refusal by Meta answers 502, a timeout 504 (Meta may still have accepted the message),"
                    + " an unreachable Cloud API 502; each carries the stored messageId and metaError"
                    + " {code, title, message, details} (code null when Meta did not answer).")
    @RequestBody(content = @Content(examples = {
            @ExampleObject(name = "text", value = TEXT_EXAMPLE),
            @ExampleObject(name = "template", value = TEMPLATE_EXAMPLE),
            @ExampleObject(name = "reply to a message", value = REPLY_EXAMPLE)}))
    @APIResponse(responseCode = "201", description = "Accepted by the Cloud API", content = @Content(
            examples = @ExampleObject(name = "sent", value = "{\"messageId\":\"msg_01kf...\",\"waMessageId\":"
                    + "\"wamid.HBgLMTY1MDU1NTEyMzQVAgARGBIzN0REODE2REM1RUYzNTA5QTEA\",\"status\":\"sent\"}")))
    @APIResponse(responseCode = "400", description = "Invalid message, or a number of another account or without"
            + " an access token; nothing was sent")
    @APIResponse(responseCode = "502", description = "Refused by the Cloud API, or it could not be reached",
            content = @Content(examples = @ExampleObject(name = "rate limited", value = FAILED_EXAMPLE)))
    @APIResponse(responseCode = "504", description = "No answer from the Cloud API within pons.meta.timeout-ms")
    @APIResponse(responseCode = "503", description = "Too many sends in flight on this instance; nothing was sent")
    public Response send(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                         @PathParam("accountId") String accountId, JsonObject body) {
        Account account = accounts.authorize(authorization, accountId);
        MessageRequest request = MessageRequest.read(body);
        Messages.Outcome outcome = messages.send(account, request);
        if (outcome.reply().accepted()) {
            return Response.status(201).entity(SentView.of(outcome.message())).build();
        }
        return failure(outcome);
    }

    private static Response failure(Messages.Outcome outcome) {
        SendError error = outcome.reply().error();
        String headline = switch (outcome.reply().kind()) {
            case TIMEOUT -> "WhatsApp Cloud API did not answer in time";
            case UNREACHABLE -> "WhatsApp Cloud API could not be reached";
            default -> "WhatsApp Cloud API refused the message";
        };
        int status = outcome.reply().kind() == GraphReply.Kind.TIMEOUT ? 504 : 502;
        List<String> details = Stream.of(error.message(), error.details())
                .filter(d -> d != null && !d.isBlank()).toList();
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new FailedView(headline, details, outcome.message().getId(), outcome.message().getStatus(),
                        error))
                .build();
    }
}
