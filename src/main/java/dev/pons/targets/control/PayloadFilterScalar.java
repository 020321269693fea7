package dev.pons.targets.control;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonValue.ValueType;
import java.math.BigDecimal;

/**
 * A scalar operand of a {@link PayloadFilter}, decoded once so that comparing it with an event's value is a
 * type check and one comparison.
 */
final class PayloadFilterScalar {

    private final ValueType type;
    private final String string;
    private final BigDecimal number;

    private PayloadFilterScalar(ValueType type, String string, BigDecimal number) {
        this.type = type;
        this.string = string;
        this.number = number;
    }

    /** The operand, or null when the value is an array or object. */
    static PayloadFilterScalar of(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> new PayloadFilterScalar(ValueType.STRING, ((JsonString) value).getString(), null);
            case NUMBER -> new PayloadFilterScalar(ValueType.NUMBER, null, ((JsonNumber) value).bigDecimalValue());
            case TRUE, FALSE, NULL -> new PayloadFilterScalar(value.getValueType(), null, null);
            case ARRAY, OBJECT -> null;
        };
    }

    /** Exact for strings, by value for numbers; an absent value (Java null) equals JSON null. */
    boolean equalTo(JsonValue value) {
        if (value == null) {
            return type == ValueType.NULL;
        }
        return switch (type) {
            case STRING -> value instanceof JsonString other && other.getString().equals(string);
            case NUMBER -> value instanceof JsonNumber other && other.bigDecimalValue().compareTo(number) == 0;
            default -> value.getValueType() == type;
        };
    }

    /** The string operand, or null when the operand is not a string. */
    String string() {
        return string;
    }

    boolean isString() {
        return type == ValueType.STRING;
    }
}
