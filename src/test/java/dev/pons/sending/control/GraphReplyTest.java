package dev.pons.sending.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pons.MetaFixtures;

class GraphReplyTest {

    private static final Path FIXTURES = MetaFixtures.DIR;

    static String fixture(String name) throws IOException {
        return Files.readString(FIXTURES.resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void acceptedCarriesTheWhatsAppMessageId() throws IOException {
        GraphReply reply = GraphReply.parse(200, fixture("send-text-response.json"));
        assertEquals(GraphReply.Kind.ACCEPTED, reply.kind());
        assertTrue(reply.accepted());
        assertEquals("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBIzN0REODE2REM1RUYzNTA5QTEA", reply.waMessageId());
        assertNull(reply.error());
    }

    @Test
    void rateLimitTakesItsTitleFromTheCodedMessageAndItsDetailsFromErrorData() throws IOException {
        GraphReply reply = GraphReply.parse(429, fixture("send-error-rate-limit.json"));
        assertEquals(GraphReply.Kind.REFUSED, reply.kind());
        assertNull(reply.waMessageId());
        assertEquals(new SendError(130429, "Rate limit hit", "(#130429) Rate limit hit",
                "Message failed to send because there were too many messages sent from this phone number in a short"
                        + " period of time"), reply.error());
    }

    @Test
    void expiredTokenHasNoTitleNorDetailsSoItsTypeNamesIt() throws IOException {
        GraphReply reply = GraphReply.parse(401, fixture("send-error-token-expired.json"));
        assertEquals(GraphReply.Kind.REFUSED, reply.kind());
        SendError error = reply.error();
        assertEquals(190, error.code());
        assertEquals("OAuthException", error.title());
        assertTrue(error.message().startsWith("Error validating access token: Session has expired"), error.message());
        assertNull(error.details());
        assertEquals("{\"code\":190,\"title\":\"OAuthException\",\"message\":\"" + error.message() + "\"}",
                error.toJson().toString(), "details only when Meta gave them");
    }

    @Test
    void anExplicitTitleWins() {
        SendError error = GraphReply.parse(400, "{\"error\":{\"message\":\"(#131047) Re-engagement message\","
                + "\"title\":\"Re-engagement message\",\"error_user_title\":\"Other\",\"type\":\"OAuthException\","
                + "\"code\":131047,\"error_data\":{\"details\":\"24 hours have passed\"}}}").error();
        assertEquals(new SendError(131047, "Re-engagement message", "(#131047) Re-engagement message",
                "24 hours have passed"), error);
    }

    @Test
    void userFacingFieldsAreTheFallbackForTitleAndDetails() {
        SendError error = GraphReply.parse(400, "{\"error\":{\"message\":\"Invalid parameter\",\"type\":\"OAuthException\","
                + "\"code\":100,\"error_user_title\":\"Bad recipient\",\"error_user_msg\":\"Check the number\"}}").error();
        assertEquals(new SendError(100, "Bad recipient", "Invalid parameter", "Check the number"), error);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html>Bad gateway</html>", "", "[1,2]", "{\"error\":\"nope\"}", "{\"error\":{\"code\":\"x\"}"})
    void anythingElseIsARefusalNamedByTheHttpStatus(String body) {
        GraphReply reply = GraphReply.parse(502, body);
        assertEquals(GraphReply.Kind.REFUSED, reply.kind());
        assertNull(reply.error().code());
        assertEquals("HTTP 502", reply.error().title());
        assertFalse(reply.error().message().isBlank());
    }

    @Test
    void anErrorWithoutMessageOrCodeStillSaysSomething() {
        SendError error = GraphReply.parse(400, "{\"error\":{\"type\":\"GraphMethodException\"}}").error();
        assertEquals(new SendError(null, "GraphMethodException", "GraphMethodException", null), error);
    }

    @Test
    void successWithoutAMessageIdIsNotASuccess() {
        GraphReply reply = GraphReply.parse(200, "{\"messaging_product\":\"whatsapp\",\"messages\":[]}");
        assertEquals(GraphReply.Kind.REFUSED, reply.kind());
        assertEquals("HTTP 200", reply.error().title());
    }

    @Test
    void noAnswerHasNoCode() {
        SendError timeout = GraphReply.timeout(2000).error();
        assertEquals(GraphReply.Kind.TIMEOUT, GraphReply.timeout(2000).kind());
        assertNull(timeout.code());
        assertEquals("timeout", timeout.title());
        assertTrue(timeout.message().contains("2000 ms"), timeout.message());
        assertTrue(timeout.toJson().containsKey("code"), "code is there, as null");

        GraphReply unreachable = GraphReply.unreachable("connection refused");
        assertEquals(GraphReply.Kind.UNREACHABLE, unreachable.kind());
        assertEquals("unreachable", unreachable.error().title());
        assertEquals("could not reach the WhatsApp Cloud API: connection refused", unreachable.error().message());
    }

    @Test
    void theAccessTokenIsRedactedShouldMetaEverQuoteIt() {
        String token = "EAAGsecret123";
        GraphReply reply = GraphReply.parse(400, "{\"error\":{\"message\":\"Malformed access token EAAGsecret123\","
                + "\"type\":\"OAuthException\",\"code\":190,\"error_data\":{\"details\":\"token EAAGsecret123\"}}}")
                .redact(token);
        assertFalse(reply.error().toString().contains(token));
        assertEquals("Malformed access token [redacted]", reply.error().message());
        assertEquals("token [redacted]", reply.error().details());
    }

    @Test
    void summaryIsOneLine() throws IOException {
        assertEquals("130429 Rate limit hit: (#130429) Rate limit hit (Message failed to send because there were too many"
                        + " messages sent from this phone number in a short period of time)",
                GraphReply.parse(429, fixture("send-error-rate-limit.json")).error().summary());
        assertEquals("timeout: " + GraphReply.timeout(5).error().message(), GraphReply.timeout(5).error().summary());
    }
}
