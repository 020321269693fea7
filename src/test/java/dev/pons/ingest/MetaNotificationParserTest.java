package dev.pons.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pons.MetaFixtures;
import dev.pons.ingest.control.MalformedNotificationException;
import dev.pons.ingest.control.MetaNotificationParser;
import dev.pons.ingest.control.ParsedEvent;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

class MetaNotificationParserTest {

    private static final Path FIXTURES = MetaFixtures.DIR;

    private static final String PHONE_NUMBER_ID = "106540352242922";
    private static final String DISPLAY_NUMBER = "15550783881";
    private static final String CUSTOMER = "16505551234";

    private static final List<String> MESSAGE_KEYS = List.of("waMessageId", "phoneNumberId",
            "displayPhoneNumber", "from", "contactName", "type", "text", "caption", "media", "location",
            "interactive", "reaction", "context", "timestamp", "raw");
    private static final List<String> STATUS_KEYS = List.of("waMessageId", "phoneNumberId", "recipientId",
            "status", "timestamp", "conversation", "pricing", "errors");

    // ---- the shared fixtures, field by field ------------------------------------------------------

    @Nested
    class Fixtures {

        /** Webhook bodies tested below; send-*.json are Graph API responses and never reach the parser. */
        private static final Set<String> COVERED = Set.of("inbound-text.json", "inbound-interactive-button.json",
                "inbound-reaction.json", "signature-vector.body", "status-sent.json", "status-read.json",
                "status-failed.json");

        @Test
        void everyWebhookFixtureIsCoveredHere() throws IOException {
            Set<String> webhooks;
            try (Stream<Path> files = Files.list(FIXTURES)) {
                webhooks = files.map(file -> file.getFileName().toString())
                        .filter(name -> !name.startsWith("send-") && !name.startsWith("."))
                        .collect(Collectors.toSet());
            }
            assertEquals(COVERED, webhooks, "a new fixture needs its own field-by-field test");
        }

        @Test
        void inboundText() throws Exception {
            String body = fixture("inbound-text.json");
            ParsedEvent event = only(MetaNotificationParser.parse(body));

            String wamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTVCMjM4RDdEQ0UzNDAwRDI0RAA=";
            assertEquals(ParsedEvent.MESSAGE_RECEIVED, event.type());
            assertEquals(PHONE_NUMBER_ID, event.phoneNumberId());
            assertEquals(wamid, event.waMessageId());
            assertEquals("msg:" + wamid, event.dedupeKey());
            assertEquals(1_768_215_304_000L, event.occurredAt());

            JsonObject payload = event.payload();
            assertEquals(List.of("waMessageId", "phoneNumberId", "displayPhoneNumber", "from", "contactName",
                    "type", "text", "timestamp", "raw"), keys(payload));
            assertEquals(wamid, payload.getString("waMessageId"));
            assertEquals(PHONE_NUMBER_ID, payload.getString("phoneNumberId"));
            assertEquals(DISPLAY_NUMBER, payload.getString("displayPhoneNumber"));
            assertEquals(CUSTOMER, payload.getString("from"));
            assertEquals("Sheena Nelson", payload.getString("contactName"));
            assertEquals("text", payload.getString("type"));
            assertEquals("Hi, is my order #8812 shipped yet?", payload.getString("text"));
            assertEquals(1_768_215_304_000L, payload.getJsonNumber("timestamp").longValueExact());
            assertEquals(firstMessage(body), payload.getJsonObject("raw"));
        }

        @Test
        void inboundTextSerialisesInTheDocumentedOrder() throws Exception {
            String body = fixture("inbound-text.json");
            JsonObject payload = only(MetaNotificationParser.parse(body)).payload();

            assertEquals("{\"waMessageId\":\"wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTVCMjM4RDdEQ0UzNDAwRDI0RAA=\","
                    + "\"phoneNumberId\":\"106540352242922\",\"displayPhoneNumber\":\"15550783881\","
                    + "\"from\":\"16505551234\",\"contactName\":\"Sheena Nelson\",\"type\":\"text\","
                    + "\"text\":\"Hi, is my order #8812 shipped yet?\",\"timestamp\":1768215304000,"
                    + "\"raw\":" + firstMessage(body) + "}", payload.toString());
        }

        @Test
        void inboundInteractiveButtonReply() throws Exception {
            String body = fixture("inbound-interactive-button.json");
            ParsedEvent event = only(MetaNotificationParser.parse(body));

            String wamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUJCNjA0MzVCMDk1QzdBMzkzMwA=";
            assertEquals(ParsedEvent.MESSAGE_RECEIVED, event.type());
            assertEquals(PHONE_NUMBER_ID, event.phoneNumberId());
            assertEquals(wamid, event.waMessageId());
            assertEquals("msg:" + wamid, event.dedupeKey());
            assertEquals(1_768_215_420_000L, event.occurredAt());

            JsonObject payload = event.payload();
            assertEquals(List.of("waMessageId", "phoneNumberId", "displayPhoneNumber", "from", "contactName",
                    "type", "interactive", "context", "timestamp", "raw"), keys(payload));
            assertEquals(wamid, payload.getString("waMessageId"));
            assertEquals(DISPLAY_NUMBER, payload.getString("displayPhoneNumber"));
            assertEquals(CUSTOMER, payload.getString("from"));
            assertEquals("Sheena Nelson", payload.getString("contactName"));
            assertEquals("interactive", payload.getString("type"));
            assertEquals(json("{\"type\":\"button_reply\",\"button_reply\":{\"id\":\"cancel-order-8812\","
                    + "\"title\":\"Cancel order\"}}"), payload.getJsonObject("interactive"));
            assertEquals(json("{\"from\":\"15550783881\","
                    + "\"id\":\"wamid.HBgLMTY1MDU1NTEyMzQVAgARGBIzN0REODE2REM1RUYzNTA5QTEA\"}"),
                    payload.getJsonObject("context"));
            assertEquals(1_768_215_420_000L, payload.getJsonNumber("timestamp").longValueExact());
            assertEquals(firstMessage(body), payload.getJsonObject("raw"));
        }

        @Test
        void inboundReaction() throws Exception {
            String body = fixture("inbound-reaction.json");
            ParsedEvent event = only(MetaNotificationParser.parse(body));

            String wamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUEwMDY5NEFCREJFMUUzQjEzRAA=";
            assertEquals(ParsedEvent.MESSAGE_RECEIVED, event.type());
            assertEquals(wamid, event.waMessageId());
            assertEquals("msg:" + wamid, event.dedupeKey());
            assertEquals(1_768_215_480_000L, event.occurredAt());

            JsonObject payload = event.payload();
            assertEquals(List.of("waMessageId", "phoneNumberId", "displayPhoneNumber", "from", "contactName",
                    "type", "reaction", "timestamp", "raw"), keys(payload));
            assertEquals("reaction", payload.getString("type"));
            JsonObject reaction = payload.getJsonObject("reaction");
            assertEquals(List.of("messageId", "emoji"), keys(reaction));
            assertEquals("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBIzN0REODE2REM1RUYzNTA5QTEA", reaction.getString("messageId"));
            assertEquals("\ud83d\udc4d", reaction.getString("emoji"));
            assertEquals(1_768_215_480_000L, payload.getJsonNumber("timestamp").longValueExact());
            assertEquals(firstMessage(body), payload.getJsonObject("raw"));
        }

        @Test
        void signatureVectorIsAnImageWithEscapedUnicode() throws Exception {
            String body = fixture("signature-vector.body");
            ParsedEvent event = only(MetaNotificationParser.parse(body));

            String wamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=";
            assertEquals(ParsedEvent.MESSAGE_RECEIVED, event.type());
            assertEquals(wamid, event.waMessageId());
            assertEquals("msg:" + wamid, event.dedupeKey());
            assertEquals(1_739_321_024_000L, event.occurredAt());

            JsonObject payload = event.payload();
            assertEquals(List.of("waMessageId", "phoneNumberId", "displayPhoneNumber", "from", "contactName",
                    "type", "caption", "media", "timestamp", "raw"), keys(payload));
            assertEquals("Jos\u00e9", payload.getString("contactName"));
            assertEquals("image", payload.getString("type"));
            assertEquals("caf\u00e9 \ud83d\ude00", payload.getString("caption"));
            JsonObject media = payload.getJsonObject("media");
            assertEquals(List.of("id", "mimeType", "sha256"), keys(media));
            assertEquals("1003383421387256", media.getString("id"));
            assertEquals("image/jpeg", media.getString("mimeType"));
            assertEquals("HCaHabZ6gVq4V/SPmMzBTWkoEUI8NgjfVshSveeWM3c=", media.getString("sha256"));
            assertEquals(1_739_321_024_000L, payload.getJsonNumber("timestamp").longValueExact());
            assertEquals(firstMessage(body), payload.getJsonObject("raw"));
        }

        @Test
        void statusSentWithPricing() throws Exception {
            ParsedEvent event = only(MetaNotificationParser.parse(fixture("status-sent.json")));

            String wamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBIwRURGRUNEQUYyNjI4MzM5RDQA";
            assertEquals(ParsedEvent.STATUS_UPDATED, event.type());
            assertEquals(PHONE_NUMBER_ID, event.phoneNumberId());
            assertEquals(wamid, event.waMessageId());
            assertEquals("status:" + wamid + ":sent:1768215501", event.dedupeKey());
            assertEquals(1_768_215_501_000L, event.occurredAt());

            JsonObject payload = event.payload();
            assertEquals(List.of("waMessageId", "phoneNumberId", "recipientId", "status", "timestamp", "pricing"),
                    keys(payload));
            assertEquals(wamid, payload.getString("waMessageId"));
            assertEquals(PHONE_NUMBER_ID, payload.getString("phoneNumberId"));
            assertEquals(CUSTOMER, payload.getString("recipientId"));
            assertEquals("sent", payload.getString("status"));
            assertEquals(1_768_215_501_000L, payload.getJsonNumber("timestamp").longValueExact());
            assertEquals(json("{\"billable\":true,\"pricing_model\":\"PMP\",\"type\":\"regular\","
                    + "\"category\":\"utility\"}"), payload.getJsonObject("pricing"));
        }

        @Test
        void statusRead() throws Exception {
            ParsedEvent event = only(MetaNotificationParser.parse(fixture("status-read.json")));

            String wamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBIwRURGRUNEQUYyNjI4MzM5RDQA";
            assertEquals(ParsedEvent.STATUS_UPDATED, event.type());
            assertEquals(wamid, event.waMessageId());
            assertEquals("status:" + wamid + ":read:1768215577", event.dedupeKey());
            assertEquals(1_768_215_577_000L, event.occurredAt());

            JsonObject payload = event.payload();
            assertEquals(List.of("waMessageId", "phoneNumberId", "recipientId", "status", "timestamp"),
                    keys(payload));
            assertEquals(CUSTOMER, payload.getString("recipientId"));
            assertEquals("read", payload.getString("status"));
            assertEquals(1_768_215_577_000L, payload.getJsonNumber("timestamp").longValueExact());
        }

        @Test
        void statusFailedWithMetasErrors() throws Exception {
            String body = fixture("status-failed.json");
            ParsedEvent event = only(MetaNotificationParser.parse(body));

            String wamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJFN0Q0QTI0MjU5NTdCMDM5OEIA";
            assertEquals(ParsedEvent.STATUS_UPDATED, event.type());
            assertEquals(wamid, event.waMessageId());
            assertEquals("status:" + wamid + ":failed:1768302011", event.dedupeKey());
            assertEquals(1_768_302_011_000L, event.occurredAt());

            JsonObject payload = event.payload();
            assertEquals(List.of("waMessageId", "phoneNumberId", "recipientId", "status", "timestamp", "errors"),
                    keys(payload));
            assertEquals("failed", payload.getString("status"));
            assertEquals(CUSTOMER, payload.getString("recipientId"));
            assertEquals(1, payload.getJsonArray("errors").size());
            JsonObject error = payload.getJsonArray("errors").getJsonObject(0);
            assertEquals(131047, error.getInt("code"));
            assertEquals("Re-engagement message", error.getString("title"));
            assertEquals(firstStatus(body).getJsonArray("errors"), payload.getJsonArray("errors"));
        }

        @Test
        void statusesOfOneMessageHaveDistinctDedupeKeys() throws Exception {
            ParsedEvent sent = only(MetaNotificationParser.parse(fixture("status-sent.json")));
            ParsedEvent read = only(MetaNotificationParser.parse(fixture("status-read.json")));
            assertEquals(sent.waMessageId(), read.waMessageId());
            assertFalse(sent.dedupeKey().equals(read.dedupeKey()));
        }

        @Test
        void redeliveryHasTheSameDedupeKey() throws Exception {
            String body = fixture("inbound-text.json");
            assertEquals(only(MetaNotificationParser.parse(body)).dedupeKey(),
                    only(MetaNotificationParser.parse(body)).dedupeKey());
        }
    }

    // ---- message types, hand written --------------------------------------------------------------

    @Nested
    class MessageTypes {

        @Test
        void imageWithCaption() throws Exception {
            JsonObject payload = parseMessage("""
                    {"from":"16505551234","id":"wamid.IMG","timestamp":"1768215600","type":"image",
                     "image":{"caption":"Parcel arrived like this","mime_type":"image/jpeg",
                              "sha256":"n8RxnLx3c1uHvX0iB0pA5Y9CGrRdoNfZ0gGgGHZu5xk=","id":"1479537139650973"}}
                    """);
            assertEquals(List.of("waMessageId", "phoneNumberId", "displayPhoneNumber", "from", "contactName",
                    "type", "caption", "media", "timestamp", "raw"), keys(payload));
            assertEquals("Parcel arrived like this", payload.getString("caption"));
            assertEquals(json("{\"id\":\"1479537139650973\",\"mimeType\":\"image/jpeg\","
                    + "\"sha256\":\"n8RxnLx3c1uHvX0iB0pA5Y9CGrRdoNfZ0gGgGHZu5xk=\"}"), payload.getJsonObject("media"));
        }

        @Test
        void imageWithoutCaptionHasNoCaptionKey() throws Exception {
            JsonObject payload = parseMessage("""
                    {"from":"16505551234","id":"wamid.IMG2","timestamp":"1768215600","type":"image",
                     "image":{"mime_type":"image/png","id":"1479537139650974"}}
                    """);
            assertFalse(payload.containsKey("caption"));
            assertEquals(json("{\"id\":\"1479537139650974\",\"mimeType\":\"image/png\"}"),
                    payload.getJsonObject("media"));
        }

        @Test
        void documentWithFilename() throws Exception {
            JsonObject payload = parseMessage("""
                    {"from":"16505551234","id":"wamid.DOC","timestamp":"1768215601","type":"document",
                     "document":{"caption":"Invoice for March","filename":"invoice-2026-03.pdf",
                                 "mime_type":"application/pdf","sha256":"Yf8W3cH2oJ0=","id":"2203390143522187"}}
                    """);
            assertEquals("document", payload.getString("type"));
            assertEquals("Invoice for March", payload.getString("caption"));
            JsonObject media = payload.getJsonObject("media");
            assertEquals(List.of("id", "mimeType", "sha256", "filename"), keys(media));
            assertEquals("2203390143522187", media.getString("id"));
            assertEquals("application/pdf", media.getString("mimeType"));
            assertEquals("Yf8W3cH2oJ0=", media.getString("sha256"));
            assertEquals("invoice-2026-03.pdf", media.getString("filename"));
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{\"type\":\"video\",\"video\":{\"mime_type\":\"video/mp4\",\"sha256\":\"dmlk\",\"id\":\"901\"}}",
                "{\"type\":\"audio\",\"audio\":{\"mime_type\":\"audio/ogg; codecs=opus\",\"sha256\":\"YXVk\","
                        + "\"id\":\"902\",\"voice\":true}}",
                "{\"type\":\"sticker\",\"sticker\":{\"mime_type\":\"image/webp\",\"sha256\":\"c3Rp\","
                        + "\"id\":\"903\",\"animated\":false}}",
        })
        void otherMediaTypesBecomeMedia(String typeAndContent) throws Exception {
            JsonObject content = json(typeAndContent);
            String type = content.getString("type");
            JsonObject meta = content.getJsonObject(type);
            JsonObject payload = parseMessage(withHeader(typeAndContent, "wamid.MEDIA"));

            assertEquals(type, payload.getString("type"));
            assertFalse(payload.containsKey("caption"));
            assertEquals(Json.createObjectBuilder()
                    .add("id", meta.getString("id"))
                    .add("mimeType", meta.getString("mime_type"))
                    .add("sha256", meta.getString("sha256"))
                    .build(), payload.getJsonObject("media"));
        }

        @Test
        void videoCaptionIsKept() throws Exception {
            JsonObject payload = parseMessage(withHeader("{\"type\":\"video\",\"video\":{\"caption\":\"unboxing\","
                    + "\"mime_type\":\"video/mp4\",\"id\":\"904\"}}", "wamid.VID"));
            assertEquals("unboxing", payload.getString("caption"));
        }

        @Test
        void locationIsCopiedAsIs() throws Exception {
            String location = "{\"address\":\"1 Hacker Way, Menlo Park, CA 94025\",\"latitude\":37.483307,"
                    + "\"longitude\":-122.148981,\"name\":\"Meta Headquarters\",\"url\":\"https://meta.com\"}";
            JsonObject payload = parseMessage(withHeader(
                    "{\"type\":\"location\",\"location\":" + location + "}", "wamid.LOC"));
            assertEquals(List.of("waMessageId", "phoneNumberId", "displayPhoneNumber", "from", "contactName",
                    "type", "location", "timestamp", "raw"), keys(payload));
            assertEquals(json(location), payload.getJsonObject("location"));
        }

        @Test
        void listReplyIsCopiedAsIs() throws Exception {
            String interactive = "{\"type\":\"list_reply\",\"list_reply\":{\"id\":\"slot-0930\","
                    + "\"title\":\"09:30\",\"description\":\"Tomorrow morning\"}}";
            JsonObject payload = parseMessage(withHeader(
                    "{\"type\":\"interactive\",\"interactive\":" + interactive + "}", "wamid.LIST"));
            assertEquals(json(interactive), payload.getJsonObject("interactive"));
        }

        @Test
        void removedReactionHasANullEmoji() throws Exception {
            JsonObject payload = parseMessage("""
                    {"from":"16505551234","id":"wamid.UNREACT","timestamp":"1768215700","type":"reaction",
                     "reaction":{"message_id":"wamid.REACTED.TO"}}
                    """);
            JsonObject reaction = payload.getJsonObject("reaction");
            assertEquals(List.of("messageId", "emoji"), keys(reaction));
            assertEquals("wamid.REACTED.TO", reaction.getString("messageId"));
            assertSame(JsonValue.ValueType.NULL, reaction.get("emoji").getValueType());
        }

        @Test
        void usernameSenderWithoutPhoneNumberUsesFromUserId() throws Exception {
            String body = webhook(value("[{\"profile\":{\"name\":\"Ana\"},\"user_id\":\"US.13491208655302741918\"}]",
                    """
                    [{"from_user_id":"US.13491208655302741918","id":"wamid.USER","timestamp":"1768215800",
                      "type":"text","text":{"body":"hello from a username"}}]
                    """, null));
            JsonObject payload = only(MetaNotificationParser.parse(body)).payload();
            assertEquals("US.13491208655302741918", payload.getString("from"));
            assertEquals("Ana", payload.getString("contactName"));
            assertEquals("hello from a username", payload.getString("text"));
        }

        @Test
        void fromWinsOverFromUserId() throws Exception {
            JsonObject payload = parseMessage("""
                    {"from":"16505551234","from_user_id":"US.1","id":"wamid.BOTH","timestamp":"1768215800",
                     "type":"text","text":{"body":"hi"}}
                    """);
            assertEquals(CUSTOMER, payload.getString("from"));
        }

        @Test
        void templateQuickReplyButtonBecomesText() throws Exception {
            String message = """
                    {"context":{"from":"15550783881","id":"wamid.TEMPLATE"},"from":"16505551234",
                     "id":"wamid.BUTTON","timestamp":"1768215900","type":"button",
                     "button":{"payload":"STOP_PROMOTIONS","text":"Stop promotions"}}
                    """;
            JsonObject payload = parseMessage(message);
            assertEquals(List.of("waMessageId", "phoneNumberId", "displayPhoneNumber", "from", "contactName",
                    "type", "text", "context", "timestamp", "raw"), keys(payload));
            assertEquals("button", payload.getString("type"));
            assertEquals("Stop promotions", payload.getString("text"));
            assertEquals(json(message), payload.getJsonObject("raw"));
        }

        @Test
        void orderKeepsItsDataInRaw() throws Exception {
            String message = """
                    {"from":"16505551234","id":"wamid.ORDER","timestamp":"1768216000","type":"order",
                     "order":{"catalog_id":"1010556870163467","text":"please deliver before noon",
                              "product_items":[{"product_retailer_id":"sku-42","quantity":"2",
                                                "item_price":"12.50","currency":"USD"}]}}
                    """;
            JsonObject payload = parseMessage(message);
            assertEquals(List.of("waMessageId", "phoneNumberId", "displayPhoneNumber", "from", "contactName",
                    "type", "timestamp", "raw"), keys(payload));
            assertEquals("order", payload.getString("type"));
            assertEquals(json(message), payload.getJsonObject("raw"));
        }

        @Test
        void systemMessageWithoutContacts() throws Exception {
            String message = """
                    {"from":"16505551234","id":"wamid.SYSTEM","timestamp":"1768216100","type":"system",
                     "system":{"body":"User A changed from 16505551234 to 16505559999","wa_id":"16505559999",
                               "type":"user_changed_number"}}
                    """;
            JsonObject payload = only(MetaNotificationParser.parse(
                    webhook(value(null, "[" + message + "]", null)))).payload();
            assertEquals(List.of("waMessageId", "phoneNumberId", "displayPhoneNumber", "from", "type",
                    "timestamp", "raw"), keys(payload));
            assertEquals("system", payload.getString("type"));
            assertEquals(json(message), payload.getJsonObject("raw"));
        }

        @Test
        void unsupportedKeepsMetasErrorsInRaw() throws Exception {
            String message = """
                    {"from":"16505551234","id":"wamid.UNSUPPORTED","timestamp":"1768216200","type":"unsupported",
                     "errors":[{"code":131051,"title":"Message type unknown","message":"Message type unknown",
                                "error_data":{"details":"Message type is currently not supported."}}]}
                    """;
            JsonObject payload = parseMessage(message);
            assertEquals("unsupported", payload.getString("type"));
            assertFalse(payload.containsKey("errors"));
            assertEquals(json(message), payload.getJsonObject("raw"));
        }

        @Test
        void sharedContactsKeepTheirDataInRaw() throws Exception {
            String message = """
                    {"from":"16505551234","id":"wamid.CONTACTS","timestamp":"1768216300","type":"contacts",
                     "contacts":[{"name":{"formatted_name":"Bo Li","first_name":"Bo"},
                                  "phones":[{"phone":"+1 650 555 9876","type":"CELL","wa_id":"16505559876"}]}]}
                    """;
            JsonObject payload = parseMessage(message);
            assertEquals("contacts", payload.getString("type"));
            assertEquals(json(message), payload.getJsonObject("raw"));
        }

        @Test
        void messageWithoutTypeIsUnknown() throws Exception {
            JsonObject payload = parseMessage("{\"from\":\"16505551234\",\"id\":\"wamid.NOTYPE\",\"timestamp\":\"1768216400\"}");
            assertEquals("unknown", payload.getString("type"));
        }

        @Test
        void typeMetaInventsLaterIsCopied() throws Exception {
            JsonObject payload = parseMessage(withHeader(
                    "{\"type\":\"hologram\",\"hologram\":{\"id\":\"1\"}}", "wamid.FUTURE"));
            assertEquals("hologram", payload.getString("type"));
            assertFalse(payload.containsKey("media"));
        }

        @Test
        void nullOptionalFieldsAreOmitted() throws Exception {
            JsonObject payload = parseMessage("""
                    {"from":"16505551234","id":"wamid.NULLS","timestamp":"1768216500","type":"text",
                     "text":{"body":"hi"},"context":null,"location":null}
                    """);
            assertFalse(payload.containsKey("context"));
            assertFalse(payload.containsKey("location"));
        }

        @Test
        void numericTimestampIsAccepted() throws Exception {
            ParsedEvent event = only(MetaNotificationParser.parse(messageBody(
                    "{\"from\":\"16505551234\",\"id\":\"wamid.NUM\",\"timestamp\":1768216600,\"type\":\"text\","
                            + "\"text\":{\"body\":\"hi\"}}")));
            assertEquals(1_768_216_600_000L, event.occurredAt());
            assertEquals(1_768_216_600_000L, event.payload().getJsonNumber("timestamp").longValueExact());
        }
    }

    // ---- contact names ----------------------------------------------------------------------------

    @Nested
    class ContactNames {

        private static final String TEXT_FROM_CUSTOMER = "[{\"from\":\"16505551234\",\"id\":\"wamid.C\","
                + "\"timestamp\":\"1768215304\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}]";

        @Test
        void theSendersContactWinsOverTheFirst() throws Exception {
            assertEquals("Sheena Nelson", contactName("[{\"profile\":{\"name\":\"Someone Else\"},\"wa_id\":\"1999\"},"
                    + "{\"profile\":{\"name\":\"Sheena Nelson\"},\"wa_id\":\"16505551234\"}]"));
        }

        @Test
        void withoutAMatchTheFirstContactIsUsed() throws Exception {
            assertEquals("Someone Else", contactName("[{\"profile\":{\"name\":\"Someone Else\"},\"wa_id\":\"1999\"}]"));
        }

        @Test
        void withoutContactsTheKeyIsAbsent() throws Exception {
            assertFalse(payload(null).containsKey("contactName"));
            assertFalse(payload("[]").containsKey("contactName"));
            assertFalse(payload("[{\"wa_id\":\"16505551234\"}]").containsKey("contactName"));
        }

        @Test
        void oddContactsShapesDoNotCostTheMessage() throws Exception {
            assertFalse(payload("{\"wa_id\":\"16505551234\"}").containsKey("contactName"));
            assertFalse(payload("[\"16505551234\", 7]").containsKey("contactName"));
            assertFalse(payload("[{\"profile\":\"Sheena\",\"wa_id\":\"16505551234\"}]").containsKey("contactName"));
        }

        private String contactName(String contacts) throws Exception {
            return payload(contacts).getString("contactName");
        }

        private JsonObject payload(String contacts) throws Exception {
            return only(MetaNotificationParser.parse(webhook(value(contacts, TEXT_FROM_CUSTOMER, null)))).payload();
        }
    }

    // ---- statuses, hand written -------------------------------------------------------------------

    @Nested
    class Statuses {

        @Test
        void deliveredWithConversationAndPricing() throws Exception {
            String conversation = "{\"id\":\"a7c3a0f2d8e1\",\"expiration_timestamp\":\"1768302000\","
                    + "\"origin\":{\"type\":\"utility\"}}";
            String pricing = "{\"billable\":true,\"pricing_model\":\"CBP\",\"category\":\"utility\"}";
            ParsedEvent event = only(MetaNotificationParser.parse(statusBody("{\"id\":\"wamid.OUT\","
                    + "\"status\":\"delivered\",\"timestamp\":\"1768215510\",\"recipient_id\":\"16505551234\","
                    + "\"conversation\":" + conversation + ",\"pricing\":" + pricing + "}")));

            assertEquals("status:wamid.OUT:delivered:1768215510", event.dedupeKey());
            JsonObject payload = event.payload();
            assertDocumentedOrder(STATUS_KEYS, payload);
            assertEquals(List.of("waMessageId", "phoneNumberId", "recipientId", "status", "timestamp",
                    "conversation", "pricing"), keys(payload));
            assertEquals(json(conversation), payload.getJsonObject("conversation"));
            assertEquals(json(pricing), payload.getJsonObject("pricing"));
        }

        @Test
        void usernameRecipientUsesRecipientUserId() throws Exception {
            ParsedEvent event = only(MetaNotificationParser.parse(statusBody("{\"id\":\"wamid.OUT\","
                    + "\"status\":\"read\",\"timestamp\":\"1768215520\",\"recipient_user_id\":\"US.42\"}")));
            assertEquals("US.42", event.payload().getString("recipientId"));
        }

        @Test
        void dedupeKeyUsesTheTimestampInSeconds() throws Exception {
            ParsedEvent event = only(MetaNotificationParser.parse(statusBody("{\"id\":\"wamid.OUT\","
                    + "\"status\":\"failed\",\"timestamp\":1768215530,\"recipient_id\":\"16505551234\"}")));
            assertEquals("status:wamid.OUT:failed:1768215530", event.dedupeKey());
            assertEquals(1_768_215_530_000L, event.occurredAt());
        }
    }

    // ---- batches and other fields -----------------------------------------------------------------

    @Nested
    class Batches {

        @Test
        void everyMessageAndStatusOfEveryChangeOfEveryEntry() throws Exception {
            String body = "{\"object\":\"whatsapp_business_account\",\"entry\":["
                    + entry("waba-1", change("pn-a", "e0c0"), change("pn-b", "e0c1")) + ","
                    + entry("waba-2", change("pn-c", "e1c0"), change("pn-a", "e1c1")) + "]}";

            List<ParsedEvent> events = MetaNotificationParser.parse(body);

            assertEquals(2 * 2 * (2 + 3), events.size());
            List<String> expectedIds = new ArrayList<>();
            List<String> expectedNumbers = new ArrayList<>();
            List<String> expectedTypes = new ArrayList<>();
            String[][] changes = {{"e0c0", "pn-a"}, {"e0c1", "pn-b"}, {"e1c0", "pn-c"}, {"e1c1", "pn-a"}};
            for (String[] change : changes) {
                for (String item : List.of("m0", "m1", "s0", "s1", "s2")) {
                    expectedIds.add("wamid." + change[0] + "." + item);
                    expectedNumbers.add(change[1]);
                    expectedTypes.add(item.startsWith("m") ? ParsedEvent.MESSAGE_RECEIVED : ParsedEvent.STATUS_UPDATED);
                }
            }
            assertEquals(expectedIds, events.stream().map(ParsedEvent::waMessageId).toList());
            assertEquals(expectedNumbers, events.stream().map(ParsedEvent::phoneNumberId).toList());
            assertEquals(expectedNumbers, events.stream().map(e -> e.payload().getString("phoneNumberId")).toList());
            assertEquals(expectedTypes, events.stream().map(ParsedEvent::type).toList());
            assertEquals(events.size(), new HashSet<>(events.stream().map(ParsedEvent::dedupeKey).toList()).size());
            for (ParsedEvent event : events) {
                boolean message = ParsedEvent.MESSAGE_RECEIVED.equals(event.type());
                assertDocumentedOrder(message ? MESSAGE_KEYS : STATUS_KEYS, event.payload());
            }
        }

        @Test
        void changesOfOtherFieldsAreIgnored() throws Exception {
            String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"waba-1\",\"changes\":["
                    + "{\"value\":{\"event\":\"APPROVED\",\"message_template_id\":594425479261596,"
                    + "\"message_template_name\":\"order_update\",\"message_template_language\":\"en_US\"},"
                    + "\"field\":\"message_template_status_update\"},"
                    + "{\"value\":\"not even an object\",\"field\":\"account_update\"},"
                    + change("pn-a", "kept") + "]}]}";

            List<ParsedEvent> events = MetaNotificationParser.parse(body);

            assertEquals(5, events.size());
            assertTrue(events.stream().allMatch(e -> e.waMessageId().startsWith("wamid.kept.")));
        }

        @Test
        void onlyOtherFieldsGiveNoEvents() throws Exception {
            assertEquals(List.of(), MetaNotificationParser.parse("{\"object\":\"whatsapp_business_account\","
                    + "\"entry\":[{\"id\":\"waba-1\",\"changes\":[{\"value\":{\"current_limit\":\"TIER_10K\"},"
                    + "\"field\":\"phone_number_quality_update\"}]}]}"));
        }

        @Test
        void emptyCollectionsGiveNoEvents() throws Exception {
            assertEquals(List.of(), MetaNotificationParser.parse(
                    "{\"object\":\"whatsapp_business_account\",\"entry\":[]}"));
            assertEquals(List.of(), MetaNotificationParser.parse(
                    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[]}]}"));
            assertEquals(List.of(), MetaNotificationParser.parse(webhook(value(null, "[]", "[]"))));
            assertEquals(List.of(), MetaNotificationParser.parse(webhook(value(null, null, null))));
        }

        private static String entry(String id, String... changes) {
            return "{\"id\":\"" + id + "\",\"changes\":[" + String.join(",", changes) + "]}";
        }

        private static String change(String phoneNumberId, String prefix) {
            List<String> messages = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                messages.add("{\"from\":\"16505551234\",\"id\":\"wamid." + prefix + ".m" + i + "\","
                        + "\"timestamp\":\"1768215600\",\"type\":\"text\",\"text\":{\"body\":\"hi " + i + "\"}}");
            }
            List<String> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add("{\"id\":\"wamid." + prefix + ".s" + i + "\",\"status\":\"delivered\","
                        + "\"timestamp\":\"1768215601\",\"recipient_id\":\"16505551234\"}");
            }
            return "{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"1555\","
                    + "\"phone_number_id\":\"" + phoneNumberId + "\"},"
                    + "\"contacts\":[{\"profile\":{\"name\":\"Sheena\"},\"wa_id\":\"16505551234\"}],"
                    + "\"messages\":[" + String.join(",", messages) + "],"
                    + "\"statuses\":[" + String.join(",", statuses) + "]},\"field\":\"messages\"}";
        }
    }

    // ---- malformed bodies -------------------------------------------------------------------------

    @Nested
    class Malformed {

        @Test
        void missingBody() {
            assertEquals("body is missing", malformed(null));
        }

        @Test
        void truncatedFixture() throws IOException {
            String body = fixture("inbound-text.json").strip();
            for (int length : List.of(0, 1, body.length() / 2, body.length() - 1)) {
                String message = malformed(body.substring(0, length));
                assertTrue(message.startsWith("body is not valid JSON: "), message);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"   ", "not json", "{\"object\":}", "{'object':'whatsapp_business_account'}"})
        void notJson(String body) {
            String message = malformed(body);
            assertTrue(message.startsWith("body is not valid JSON: "), message);
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "\"whatsapp_business_account\"", "42", "null"})
        void notAnObject(String body) {
            assertEquals("body is not a JSON object", malformed(body));
        }

        @Test
        void contentAfterTheObject() throws IOException {
            String body = fixture("inbound-text.json");
            assertTrue(malformed(body + "{}").startsWith("body "));
            assertTrue(malformed(body + " trailing").startsWith("body "));
        }

        @Test
        void whitespaceAroundTheObjectIsFine() throws Exception {
            assertEquals(1, MetaNotificationParser.parse("\n " + fixture("inbound-text.json") + " \r\n").size());
        }

        @ParameterizedTest(name = "{1}")
        @MethodSource("dev.pons.ingest.MetaNotificationParserTest#wrongShapes")
        void wrongShape(String body, String expectedMessage) {
            assertEquals(expectedMessage, malformed(body));
        }

        @Test
        void causeOfUnreadableJsonIsKept() {
            MalformedNotificationException e = assertThrows(MalformedNotificationException.class,
                    () -> MetaNotificationParser.parse("{\"object\""));
            assertTrue(e.getCause() != null);
        }

        private static String malformed(String body) {
            return assertThrows(MalformedNotificationException.class, () -> MetaNotificationParser.parse(body))
                    .getMessage();
        }
    }

    static Stream<Arguments> wrongShapes() {
        String value = "entry[0].changes[0].value";
        String message0 = value + ".messages[0]";
        String status0 = value + ".statuses[0]";
        String text = "\"type\":\"text\",\"text\":{\"body\":\"hi\"}";
        String okMessage = "{\"from\":\"16505551234\",\"id\":\"wamid.OK\",\"timestamp\":\"1768215304\"," + text + "}";
        return Stream.of(
                // envelope
                Arguments.of("{\"entry\":[]}", "object missing"),
                Arguments.of("{\"object\":\"page\",\"entry\":[]}",
                        "object is \"page\", expected \"whatsapp_business_account\""),
                Arguments.of("{\"object\":7,\"entry\":[]}", "object is not a string"),
                Arguments.of("{\"object\":\"whatsapp_business_account\"}", "entry missing"),
                Arguments.of("{\"object\":\"whatsapp_business_account\",\"entry\":{}}", "entry is not an array"),
                Arguments.of("{\"object\":\"whatsapp_business_account\",\"entry\":[1]}", "entry[0] is not an object"),
                Arguments.of("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\"}]}",
                        "entry[0].changes missing"),
                Arguments.of("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":{}}]}",
                        "entry[0].changes is not an array"),
                Arguments.of("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[[]]}]}",
                        "entry[0].changes[0] is not an object"),
                Arguments.of("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"value\":{}}]}]}",
                        "entry[0].changes[0].field missing"),
                Arguments.of("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":"
                        + "[{\"field\":\"messages\"}]}]}", value + " missing"),
                Arguments.of("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":"
                        + "[{\"value\":[],\"field\":\"messages\"}]}]}", value + " is not an object"),
                // metadata
                Arguments.of(webhook("{\"messages\":[]}"), value + ".metadata missing"),
                Arguments.of(webhook("{\"metadata\":{\"display_phone_number\":\"1555\"},\"messages\":[]}"),
                        value + ".metadata.phone_number_id missing"),
                Arguments.of(webhook("{\"metadata\":{\"display_phone_number\":\"1555\",\"phone_number_id\":106},"
                        + "\"messages\":[]}"), value + ".metadata.phone_number_id is not a string"),
                Arguments.of(webhook("{\"metadata\":{\"phone_number_id\":\"106\"},\"messages\":[]}"),
                        value + ".metadata.display_phone_number missing"),
                Arguments.of(webhook(value(null, "{}", null)), value + ".messages is not an array"),
                Arguments.of(webhook(value(null, "[\"wamid.X\"]", null)), message0 + " is not an object"),
                Arguments.of(webhook(value(null, null, "{}")), value + ".statuses is not an array"),
                // messages
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"timestamp\":\"1768215304\"," + text + "}"),
                        message0 + ".id missing"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":42,\"timestamp\":\"1768215304\"," + text + "}"),
                        message0 + ".id is not a string"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":\"wamid.X\"," + text + "}"),
                        message0 + ".timestamp missing"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":\"wamid.X\",\"timestamp\":\"yesterday\","
                        + text + "}"), message0 + ".timestamp is not epoch seconds"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":\"wamid.X\",\"timestamp\":\"\"," + text + "}"),
                        message0 + ".timestamp is not epoch seconds"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":\"wamid.X\",\"timestamp\":\"-1\"," + text + "}"),
                        message0 + ".timestamp is not epoch seconds"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":\"wamid.X\",\"timestamp\":\"1768215304.5\","
                        + text + "}"), message0 + ".timestamp is not epoch seconds"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":\"wamid.X\",\"timestamp\":1768215304.5,"
                        + text + "}"), message0 + ".timestamp is not epoch seconds"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":\"wamid.X\",\"timestamp\":-5," + text + "}"),
                        message0 + ".timestamp is not epoch seconds"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":\"wamid.X\",\"timestamp\":\"9223372036854775807\","
                        + text + "}"), message0 + ".timestamp is not epoch seconds"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":\"wamid.X\",\"timestamp\":true," + text + "}"),
                        message0 + ".timestamp is not epoch seconds"),
                Arguments.of(messageBody("{\"id\":\"wamid.X\",\"timestamp\":\"1768215304\"," + text + "}"),
                        message0 + ".from missing"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":\"wamid.X\",\"timestamp\":\"1768215304\","
                        + "\"type\":5}"), message0 + ".type is not a string"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":\"wamid.X\",\"timestamp\":\"1768215304\","
                        + "\"type\":\"text\",\"text\":\"hi\"}"), message0 + ".text is not an object"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":\"wamid.X\",\"timestamp\":\"1768215304\","
                        + "\"type\":\"image\"}"), message0 + ".image missing"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":\"wamid.X\",\"timestamp\":\"1768215304\","
                        + "\"type\":\"image\",\"image\":{\"mime_type\":\"image/jpeg\"}}"), message0 + ".image.id missing"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":\"wamid.X\",\"timestamp\":\"1768215304\","
                        + "\"type\":\"document\",\"document\":{\"id\":\"1\"}}"), message0 + ".document.mime_type missing"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":\"wamid.X\",\"timestamp\":\"1768215304\","
                        + "\"type\":\"reaction\",\"reaction\":{\"emoji\":\"x\"}}"), message0 + ".reaction.message_id missing"),
                Arguments.of(messageBody("{\"from\":\"16505551234\",\"id\":\"wamid.X\",\"timestamp\":\"1768215304\","
                        + text + ",\"context\":\"wamid.Y\"}"), message0 + ".context is not an object"),
                Arguments.of(webhook(value(null, "[" + okMessage + ",{\"from\":\"1\",\"timestamp\":\"1\"}]", null)),
                        value + ".messages[1].id missing"),
                // statuses
                Arguments.of(statusBody("{\"status\":\"sent\",\"timestamp\":\"1768215501\",\"recipient_id\":\"1\"}"),
                        status0 + ".id missing"),
                Arguments.of(statusBody("{\"id\":\"wamid.X\",\"timestamp\":\"1768215501\",\"recipient_id\":\"1\"}"),
                        status0 + ".status missing"),
                Arguments.of(statusBody("{\"id\":\"wamid.X\",\"status\":\"sent\",\"recipient_id\":\"1\"}"),
                        status0 + ".timestamp missing"),
                Arguments.of(statusBody("{\"id\":\"wamid.X\",\"status\":\"sent\",\"timestamp\":\"soon\",\"recipient_id\":\"1\"}"),
                        status0 + ".timestamp is not epoch seconds"),
                Arguments.of(statusBody("{\"id\":\"wamid.X\",\"status\":\"sent\",\"timestamp\":\"1768215501\"}"),
                        status0 + ".recipient_id missing"),
                Arguments.of(statusBody("{\"id\":\"wamid.X\",\"status\":\"failed\",\"timestamp\":\"1768215501\","
                        + "\"recipient_id\":\"1\",\"errors\":{\"code\":1}}"), status0 + ".errors is not an array"),
                Arguments.of(statusBody("{\"id\":\"wamid.X\",\"status\":\"sent\",\"timestamp\":\"1768215501\","
                        + "\"recipient_id\":\"1\",\"pricing\":true}"), status0 + ".pricing is not an object"),
                // a later entry is checked as strictly as the first
                Arguments.of("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[]},"
                        + "{\"changes\":[{\"value\":{\"metadata\":{}},\"field\":\"messages\"}]}]}",
                        "entry[1].changes[0].value.metadata.phone_number_id missing"));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static String fixture(String name) throws IOException {
        return Files.readString(FIXTURES.resolve(name), StandardCharsets.UTF_8);
    }

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private static List<String> keys(JsonObject object) {
        return List.copyOf(object.keySet());
    }

    private static ParsedEvent only(List<ParsedEvent> events) {
        assertEquals(1, events.size(), "events");
        return events.get(0);
    }

    private static JsonObject firstValue(String body) {
        return json(body).getJsonArray("entry").getJsonObject(0)
                .getJsonArray("changes").getJsonObject(0).getJsonObject("value");
    }

    /** Meta's message object as it appears in the body, to compare "raw" with. */
    private static JsonObject firstMessage(String body) {
        return firstValue(body).getJsonArray("messages").getJsonObject(0);
    }

    private static JsonObject firstStatus(String body) {
        return firstValue(body).getJsonArray("statuses").getJsonObject(0);
    }

    /** One change of field "messages" with the given value, in one entry. */
    private static String webhook(String value) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\","
                + "\"changes\":[{\"value\":" + value + ",\"field\":\"messages\"}]}]}";
    }

    /** A value with the fixtures' business number; null leaves a part out. */
    private static String value(String contacts, String messages, String statuses) {
        StringBuilder value = new StringBuilder("{\"messaging_product\":\"whatsapp\",\"metadata\":"
                + "{\"display_phone_number\":\"" + DISPLAY_NUMBER + "\",\"phone_number_id\":\"" + PHONE_NUMBER_ID + "\"}");
        if (contacts != null) {
            value.append(",\"contacts\":").append(contacts);
        }
        if (messages != null) {
            value.append(",\"messages\":").append(messages);
        }
        if (statuses != null) {
            value.append(",\"statuses\":").append(statuses);
        }
        return value.append('}').toString();
    }

    private static String messageBody(String message) {
        return webhook(value("[{\"profile\":{\"name\":\"Sheena Nelson\"},\"wa_id\":\"" + CUSTOMER + "\"}]",
                "[" + message + "]", null));
    }

    private static String statusBody(String status) {
        return webhook(value(null, null, "[" + status + "]"));
    }

    /** Adds sender, id and timestamp to a message that has only its type and content. */
    private static String withHeader(String typeAndContent, String waMessageId) {
        return "{\"from\":\"" + CUSTOMER + "\",\"id\":\"" + waMessageId + "\",\"timestamp\":\"1768215600\","
                + typeAndContent.substring(1);
    }

    /** Parses a body holding just this message from the fixtures' customer and returns its payload. */
    private static JsonObject parseMessage(String message) throws MalformedNotificationException {
        ParsedEvent event = only(MetaNotificationParser.parse(messageBody(message)));
        assertEquals(ParsedEvent.MESSAGE_RECEIVED, event.type());
        assertEquals("msg:" + event.waMessageId(), event.dedupeKey());
        JsonObject payload = event.payload();
        assertEquals(json(message), payload.getJsonObject("raw"));
        assertEquals("Sheena Nelson", payload.getString("contactName"));
        assertDocumentedOrder(MESSAGE_KEYS, payload);
        return payload;
    }

    /** The payload has only documented keys, in the order src/docs/webhooks.md lists them. */
    private static void assertDocumentedOrder(List<String> documented, JsonObject payload) {
        assertEquals(documented.stream().filter(payload::containsKey).toList(), keys(payload));
    }
}
