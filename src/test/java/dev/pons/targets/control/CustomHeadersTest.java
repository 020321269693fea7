package dev.pons.targets.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CustomHeadersTest {

    static JsonValue json(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }

    static List<String> problems(String headers) {
        List<String> problems = new ArrayList<>();
        CustomHeaders.read(json(headers), problems);
        return problems;
    }

    @Test
    void validHeadersKeepTheirNamesValuesAndOrder() {
        List<String> problems = new ArrayList<>();
        Map<String, String> headers = CustomHeaders.read(json(
                "{\"Authorization\":\"Bearer abc.def\",\"X-Tenant\":\"acme\",\"X-Trace!#$%&'*+-.^_`|~9\":\"1\"}"), problems);
        assertEquals(List.of(), problems);
        assertEquals(List.of("Authorization", "X-Tenant", "X-Trace!#$%&'*+-.^_`|~9"), List.copyOf(headers.keySet()));
        assertEquals("Bearer abc.def", headers.get("Authorization"));
        assertEquals(headers, CustomHeaders.parse(CustomHeaders.json(headers)), "stored and read back unchanged");
    }

    @Test
    void nullAndEmptyClear() {
        assertEquals(Map.of(), CustomHeaders.read(JsonValue.NULL, new ArrayList<>()));
        assertEquals(Map.of(), CustomHeaders.read(json("{}"), new ArrayList<>()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "content-length", "Content-Type", "Transfer-Encoding", "Connection", "Keep-Alive",
            "Upgrade", "TE", "Trailer", "Expect", "User-Agent", "Proxy-Authorization", "proxy-anything",
            "X-Pons-Signature", "x-pons-custom", "webhook-id", "Webhook-Signature"})
    void reservedNamesAreRefusedWhateverTheirCase(String name) {
        List<String> problems = problems("{\"" + name + "\":\"v\"}");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("headers." + name + ": is set by Pons or by HTTP itself"), problems.get(0));
    }

    @Test
    void namesMustBeTokensOfAtMost64() {
        assertTrue(problems("{\"X Space\":\"v\"}").get(0).startsWith("headers.X Space: a header name is"));
        assertTrue(problems("{\"X:Colon\":\"v\"}").get(0).startsWith("headers.X:Colon: a header name is"));
        assertTrue(problems("{\"Ünicode\":\"v\"}").get(0).startsWith("headers.Ünicode: a header name is"));
        assertTrue(problems("{\"\":\"v\"}").get(0).startsWith("headers.: a header name is"));
        assertEquals(List.of(), problems("{\"" + "X".repeat(64) + "\":\"v\"}"));
        assertEquals(1, problems("{\"" + "X".repeat(65) + "\":\"v\"}").size());
    }

    @Test
    void duplicatesDifferingOnlyInCaseAreRefused() {
        List<String> problems = problems("{\"X-Key\":\"a\",\"x-key\":\"b\"}");
        assertEquals(List.of("headers.x-key: named twice (header names are case-insensitive)"), problems);
    }

    @Test
    void valuesArePrintableAsciiStringsOfAtMost1024AndNeverEchoed() {
        for (String value : List.of("SECRET\\r\\nX-Injected: 1", "SECRET\\u0000", "SECRET\\there", "SECRET\\u00e9")) {
            List<String> problems = problems("{\"X-Key\":\"" + value + "\"}");
            assertEquals(1, problems.size(), value);
            assertTrue(problems.get(0).startsWith("headers.X-Key: the value must be at most 1024 printable ASCII"));
            assertFalse(problems.get(0).contains("SECRET"), "values are secrets");
        }
        assertEquals(List.of(), problems("{\"X-Key\":\"" + "v".repeat(1024) + "\"}"));
        assertEquals(1, problems("{\"X-Key\":\"" + "v".repeat(1025) + "\"}").size());
        assertEquals(List.of("headers.X-Key: the value must be a string"), problems("{\"X-Key\":42}"));
        assertEquals(List.of("headers: must be an object of header names and values"), problems("[\"X-Key\"]"));
    }

    @Test
    void atMostTenHeaders() {
        StringBuilder body = new StringBuilder("{");
        for (int i = 0; i < 11; i++) {
            body.append(i == 0 ? "" : ",").append("\"X-H").append(i).append("\":\"v\"");
        }
        assertEquals(List.of("headers: at most 10 headers"), problems(body.append('}').toString()));
    }

    @Test
    void aMaskedValueSentBackIsRefusedNotStored() {
        List<String> problems = problems("{\"Authorization\":\"" + CustomHeaders.masked("Bearer secret-token") + "\"}");
        assertTrue(problems.get(0).startsWith("headers.Authorization: is the masked value the API shows"), problems.toString());
    }

    @Test
    void masksShowTheLastFourOfLongValuesOnly() {
        assertEquals("••••oken", CustomHeaders.masked("Bearer secret-token"));
        assertEquals("••••", CustomHeaders.masked("short"), "a short value would be shown almost whole");
        assertEquals("{\"Authorization\":\"••••oken\"}", CustomHeaders.previewJson(Map.of("Authorization", "Bearer secret-token")));
    }
}
