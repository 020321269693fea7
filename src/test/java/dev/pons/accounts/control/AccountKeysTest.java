package dev.pons.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

import dev.pons.platform.control.DomainException;

class AccountKeysTest {

    @Test
    void nameIsStrippedAndDefaultsWhenAbsent() {
        assertEquals("CRM", AccountKeys.name(json("{\"name\":\"  CRM \"}")));
        assertEquals("API key", AccountKeys.name(json("{}")));
        assertEquals("API key", AccountKeys.name(json("{\"name\":null}")));
        assertEquals("API key", AccountKeys.name(null), "a create without a body");
        assertEquals("API key", AccountKeys.name(JsonValue.NULL));
        assertEquals("x".repeat(100), AccountKeys.name(json("{\"name\":\"" + "x".repeat(100) + "\"}")));
        assertEquals("Zapier → CRM ✓", AccountKeys.name(json("{\"name\":\"Zapier → CRM ✓\"}")));
    }

    @Test
    void badNamesAreRefusedWithTheFieldNamed() {
        assertEquals(List.of("name: must be at most 100 characters"),
                refused("{\"name\":\"" + "x".repeat(101) + "\"}"));
        assertEquals(List.of("name: must not contain control characters"), refused("{\"name\":\"a\\u0000b\"}"));
        assertEquals(List.of("name: must not contain control characters"), refused("{\"name\":\"a\\nb\"}"));
        assertEquals(List.of("name: must not be empty; leave it out for the default name"), refused("{\"name\":\"  \"}"));
        assertEquals(List.of("name: must be a string"), refused("{\"name\":7}"));
    }

    @Test
    void unknownFieldsAreRefusedAlongsideOtherProblems() {
        assertEquals(List.of("key: unknown field", "name: must be a string"), refused("{\"key\":\"pons_x\",\"name\":[]}"));
    }

    @Test
    void aBodyMustBeAnObject() {
        DomainException refused = assertThrows(DomainException.class, () -> AccountKeys.name(Json.createArrayBuilder().build()));
        assertEquals(List.of("body: must be a JSON object"), refused.details());
    }

    private static List<String> refused(String body) {
        DomainException refused = assertThrows(DomainException.class, () -> AccountKeys.name(json(body)));
        assertEquals(DomainException.Kind.INVALID, refused.kind());
        return refused.details();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
