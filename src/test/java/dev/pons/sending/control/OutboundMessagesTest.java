package dev.pons.sending.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;

import org.junit.jupiter.api.Test;

import dev.pons.sending.entity.OutboundMessage;

/** The event payloads of src/docs/webhooks.md, field by field and in order. */
class OutboundMessagesTest {

    static MessageRequest request(String body) {
        return MessageRequest.read(Json.createReader(new StringReader(body)).readObject());
    }

    static final MessageRequest TEXT = request("{\"phoneNumberId\":\"106540352242922\",\"to\":\"16505551234\","
            + "\"type\":\"text\",\"text\":{\"body\":\"Hello\"}}");
    static final MessageRequest TEMPLATE = request("{\"phoneNumberId\":\"106540352242922\",\"to\":\"16505551234\","
            + "\"type\":\"template\",\"template\":{\"name\":\"hello_world\",\"language\":\"en_US\"}}");

    @Test
    void sentTextCarriesTheText() {
        OutboundMessage message = OutboundMessage.sent("msg_1", "acct_1", "106540352242922", "16505551234", "text",
                "wamid.X", 1, 2);
        JsonObject payload = OutboundMessages.sentPayload(message, TEXT, 1_768_215_304_123L);
        assertEquals("{\"messageId\":\"msg_1\",\"waMessageId\":\"wamid.X\",\"phoneNumberId\":\"106540352242922\","
                + "\"to\":\"16505551234\",\"type\":\"text\",\"text\":\"Hello\",\"timestamp\":1768215304123}", payload.toString());
    }

    @Test
    void sentTemplateHasNoText() {
        OutboundMessage message = OutboundMessage.sent("msg_1", "acct_1", "106540352242922", "16505551234", "template",
                "wamid.X", 1, 2);
        assertEquals("{\"messageId\":\"msg_1\",\"waMessageId\":\"wamid.X\",\"phoneNumberId\":\"106540352242922\","
                        + "\"to\":\"16505551234\",\"type\":\"template\",\"timestamp\":5}",
                OutboundMessages.sentPayload(message, TEMPLATE, 5).toString());
    }

    @Test
    void failedCarriesTheError() {
        OutboundMessage message = OutboundMessage.failed("msg_1", "acct_1", "106540352242922", "16505551234", "text",
                "x", 1, 2);
        SendError error = new SendError(130429, "Rate limit hit", "(#130429) Rate limit hit", "too many");
        assertEquals("{\"messageId\":\"msg_1\",\"phoneNumberId\":\"106540352242922\",\"to\":\"16505551234\","
                        + "\"type\":\"text\",\"error\":{\"code\":130429,\"title\":\"Rate limit hit\","
                        + "\"message\":\"(#130429) Rate limit hit\",\"details\":\"too many\"},\"timestamp\":7}",
                OutboundMessages.failedPayload(message, error, 7).toString());
        assertEquals("{\"messageId\":\"msg_1\",\"phoneNumberId\":\"106540352242922\",\"to\":\"16505551234\","
                        + "\"type\":\"text\",\"error\":{\"code\":null,\"title\":\"timeout\",\"message\":\"m\"},"
                        + "\"timestamp\":7}",
                OutboundMessages.failedPayload(message, new SendError(null, "timeout", "m", null), 7).toString());
    }

    @Test
    void aLongErrorIsCutToItsColumn() {
        OutboundMessage message = OutboundMessage.failed("msg_1", "acct_1", "1", "2", "text", "e".repeat(5000), 1, 2);
        assertEquals(1000, message.getError().length());
    }
}
