package dev.pons.sending.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pons.platform.control.DomainException;

class MessageRequestTest {

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    static MessageRequest read(String body) {
        return MessageRequest.read(json(body));
    }

    @Test
    void textBecomesMetasTextMessage() {
        MessageRequest request = read("{\"phoneNumberId\":\"106540352242922\",\"to\":\" +16505551234 \","
                + "\"type\":\"text\",\"text\":{\"body\":\"Hello\"}}");
        assertEquals("+16505551234", request.to(), "stripped");
        assertEquals("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"+16505551234\","
                + "\"type\":\"text\",\"text\":{\"body\":\"Hello\",\"preview_url\":false}}", request.toGraphBody().toString());
    }

    @Test
    void previewUrlAndContextAreMapped() {
        MessageRequest request = read("{\"phoneNumberId\":\"1\",\"to\":\"16505551234\",\"type\":\"text\","
                + "\"text\":{\"body\":\"See https://example.com\",\"previewUrl\":true},"
                + "\"context\":{\"messageId\":\"wamid.ABC\"}}");
        assertEquals(json("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"16505551234\","
                        + "\"context\":{\"message_id\":\"wamid.ABC\"},\"type\":\"text\","
                        + "\"text\":{\"body\":\"See https://example.com\",\"preview_url\":true}}"),
                request.toGraphBody());
    }

    @Test
    void templateBecomesMetasTemplateMessageWithComponentsUntouched() {
        String components = "[{\"type\":\"header\",\"parameters\":[{\"type\":\"image\",\"image\":{\"link\":"
                + "\"https://example.com/a.png\"}}]},{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"8812\"}]}]";
        MessageRequest request = read("{\"phoneNumberId\":\"1\",\"to\":\"16505551234\",\"type\":\"template\","
                + "\"template\":{\"name\":\"order_update\",\"language\":\"en_US\",\"components\":" + components + "}}");
        assertEquals(json("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"16505551234\","
                        + "\"type\":\"template\",\"template\":{\"name\":\"order_update\",\"language\":{\"code\":\"en_US\"},"
                        + "\"components\":" + components + "}}"),
                request.toGraphBody());
    }

    @Test
    void templateLanguageMayBeGivenInMetasShapeAndComponentsAreOptional() {
        MessageRequest request = read("{\"phoneNumberId\":\"1\",\"to\":\"16505551234\",\"type\":\"template\","
                + "\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en\"}}}");
        assertEquals("{\"name\":\"hello_world\",\"language\":{\"code\":\"en\"}}",
                request.toGraphBody().getJsonObject("template").toString());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{}|phoneNumberId: is required",
            "{}|to: is required",
            "{}|type: is required",
            "{\"phoneNumberId\":12}|phoneNumberId: must be a string",
            "{\"phoneNumberId\":\"abc\"}|phoneNumberId: must be Meta's numeric phone number id",
            "{\"to\":\"+1\"}|to: must be the recipient's phone number",
            "{\"to\":\"16505551234; DROP\"}|to: must be the recipient's phone number",
            "{\"type\":\"image\"}|type: must be text or template",
            "{\"type\":\"text\"}|text: is required for type text",
            "{\"type\":\"text\",\"text\":[]}|text: must be an object",
            "{\"type\":\"text\",\"text\":{}}|text.body: is required",
            "{\"type\":\"text\",\"text\":{\"body\":\"hi\",\"preview_url\":true}}|text.preview_url: unknown field",
            "{\"type\":\"text\",\"text\":{\"body\":\"hi\"},\"template\":{}}|template: only for type template",
            "{\"type\":\"template\",\"text\":{\"body\":\"hi\"}}|text: only for type text",
            "{\"type\":\"template\"}|template: is required for type template",
            "{\"type\":\"template\",\"template\":{\"language\":\"en_US\"}}|template.name: is required",
            "{\"type\":\"template\",\"template\":{\"name\":\"x\"}}|template.language: is required",
            "{\"type\":\"template\",\"template\":{\"name\":\"x\",\"language\":\"english please\"}}|template.language: must be a language code",
            "{\"type\":\"template\",\"template\":{\"name\":\"x\",\"language\":{}}}|template.language.code: is required",
            "{\"type\":\"template\",\"template\":{\"name\":\"x\",\"language\":7}}|template.language: must be a language code",
            "{\"type\":\"template\",\"template\":{\"name\":\"x\",\"language\":\"en\",\"components\":[1]}}|template.components: must be an array of objects",
            "{\"context\":{}}|context.messageId: is required",
            "{\"context\":\"wamid\"}|context: must be an object",
            "{\"colour\":\"red\"}|colour: unknown field",
    })
    void problemsNameTheField(String body, String expected) {
        DomainException refused = assertThrows(DomainException.class, () -> read(body));
        assertEquals(DomainException.Kind.INVALID, refused.kind());
        assertEquals("invalid message", refused.getMessage());
        assertTrue(refused.details().stream().anyMatch(d -> d.startsWith(expected)), refused.details().toString());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        DomainException refused = assertThrows(DomainException.class, () -> read("{\"type\":\"text\"}"));
        assertEquals(List.of("phoneNumberId: is required", "to: is required",
                "text: is required for type text, e.g. {\"body\":\"Hello\"}"), refused.details());
    }

    @Test
    void aMissingBodyIsRefused() {
        DomainException refused = assertThrows(DomainException.class, () -> MessageRequest.read(null));
        assertEquals(List.of("body: a JSON object is required"), refused.details());
    }

    @Test
    void aTextBodyMayBeAsLongAsMetaAllowsButNotLonger() {
        String ok = "x".repeat(MessageRequest.MAX_TEXT_LENGTH);
        assertEquals(ok, read("{\"phoneNumberId\":\"1\",\"to\":\"16505551234\",\"type\":\"text\",\"text\":{\"body\":\""
                + ok + "\"}}").textBody());
        DomainException refused = assertThrows(DomainException.class, () -> read("{\"phoneNumberId\":\"1\","
                + "\"to\":\"16505551234\",\"type\":\"text\",\"text\":{\"body\":\"" + ok + "x\"}}"));
        assertEquals(List.of("text.body: must be at most 4096 characters"), refused.details());
    }
}
