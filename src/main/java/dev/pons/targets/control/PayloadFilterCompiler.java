package dev.pons.targets.control;

import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.Text;
import dev.pons.targets.control.PayloadFilterCondition.Compare.Relation;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a {@link PayloadFilter}'s JSON and turns it into nodes. Keeps going after a problem so that one
 * refusal lists all of them.
 */
final class PayloadFilterCompiler {

    private static final String SCALAR = "must be a string, number, boolean or null";
    private static final String SCALARS = "must be an array of strings, numbers, booleans or null";
    private static final JsonWriterFactory WRITERS = Json.createWriterFactory(Map.of());

    private final List<String> problems = new ArrayList<>();

    private PayloadFilterCompiler() {
    }

    static PayloadFilterNode compile(JsonValue filter) {
        PayloadFilterCompiler compiler = new PayloadFilterCompiler();
        PayloadFilterNode root = compiler.filter(filter, "filter", 1);
        compiler.controlCharacters(filter, "filter");
        if (!compiler.problems.isEmpty()) {
            throw DomainException.invalid("invalid filter", compiler.problems);
        }
        return root;
    }

    static DomainException tooLarge() {
        return DomainException.invalid("invalid filter",
                List.of("filter: at most " + PayloadFilter.MAX_BYTES + " bytes"));
    }

    /**
     * The compact JSON text of the filter, refused once it passes the size limit: writing stops there, so an
     * oversized value costs no more than the limit to measure.
     */
    static String compactText(JsonValue filter) {
        BoundedText text = new BoundedText(PayloadFilter.MAX_BYTES);
        try {
            JsonWriter writer = WRITERS.createWriter(text);
            writer.write(filter);
            writer.close();
        } catch (RuntimeException e) {
            // Providers wrap the writer's IOException differently; the flag says whether it was ours.
            if (!text.exceeded) {
                throw e;
            }
        }
        if (text.exceeded) {
            throw tooLarge();
        }
        return text.toString();
    }

    /**
     * Field names and operators never need a control character; compared strings may hold tabs and line
     * breaks, which message texts do, but nothing else: the filter is stored, and shown back.
     */
    private void controlCharacters(JsonValue value, String at) {
        if (value instanceof JsonObject object) {
            for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
                if (Text.hasControlCharacters(entry.getKey())) {
                    problem(at, "field names and operators must not contain control characters");
                } else {
                    controlCharacters(entry.getValue(), at + "." + entry.getKey());
                }
            }
        } else if (value instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                controlCharacters(array.get(i), at + "[" + i + "]");
            }
        } else if (value instanceof JsonString text && Text.hasControlCharactersBesidesLineBreaks(text.getString())) {
            problem(at, "must not contain control characters other than tabs and line breaks");
        }
    }

    private PayloadFilterNode filter(JsonValue value, String at, int depth) {
        if (!(value instanceof JsonObject object)) {
            return problem(at, "must be an object");
        }
        if (depth > PayloadFilter.MAX_DEPTH) {
            return problem(at, "at most " + PayloadFilter.MAX_DEPTH + " levels deep");
        }
        List<PayloadFilterNode> parts = new ArrayList<>(object.size());
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
            String key = entry.getKey();
            String keyAt = at + "." + key;
            switch (key) {
                case "$and" -> parts.add(PayloadFilterNode.all(filters(entry.getValue(), keyAt, depth + 1)));
                case "$or" -> parts.add(PayloadFilterNode.any(filters(entry.getValue(), keyAt, depth + 1)));
                case "$not" -> parts.add(new PayloadFilterNode.Not(filter(entry.getValue(), keyAt, depth + 1)));
                default -> parts.add(key.startsWith("$")
                        ? problem(keyAt, "unknown operator")
                        : field(key, entry.getValue(), keyAt));
            }
        }
        return PayloadFilterNode.all(parts);
    }

    private List<PayloadFilterNode> filters(JsonValue value, String at, int depth) {
        if (!(value instanceof JsonArray array)) {
            problem(at, "must be an array of filters");
            return List.of(PayloadFilterNode.ALWAYS);
        }
        if (array.isEmpty()) {
            problem(at, "must not be empty");
            return List.of(PayloadFilterNode.ALWAYS);
        }
        List<PayloadFilterNode> filters = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            filters.add(filter(array.get(i), at + "[" + i + "]", depth));
        }
        return filters;
    }

    private PayloadFilterNode field(String path, JsonValue condition, String at) {
        String[] names = path.split("\\.", -1);
        for (String name : names) {
            if (name.isEmpty()) {
                return problem(at, "must be a dot-separated path of non-empty field names");
            }
        }
        List<PayloadFilterCondition> conditions = switch (condition.getValueType()) {
            case OBJECT -> operators((JsonObject) condition, at);
            case ARRAY -> {
                problem(at, "must be a string, number, boolean, null or an object of operators");
                yield List.of();
            }
            default -> List.of(new PayloadFilterCondition.EqualTo(PayloadFilterScalar.of(condition)));
        };
        return new PayloadFilterNode.Field(names, conditions.toArray(PayloadFilterCondition[]::new));
    }

    private List<PayloadFilterCondition> operators(JsonObject operators, String at) {
        if (operators.isEmpty()) {
            problem(at, "must name at least one operator");
        }
        List<PayloadFilterCondition> conditions = new ArrayList<>(operators.size());
        for (Map.Entry<String, JsonValue> entry : operators.entrySet()) {
            String operator = entry.getKey();
            JsonValue operand = entry.getValue();
            String opAt = at + "." + operator;
            PayloadFilterCondition condition = switch (operator) {
                case "$eq" -> equalTo(operand, opAt);
                case "$ne" -> not(equalTo(operand, opAt));
                case "$in" -> in(operand, opAt);
                case "$nin" -> not(in(operand, opAt));
                case "$exists" -> exists(operand, opAt);
                case "$startsWith" -> startsWith(operand, opAt);
                case "$contains" -> contains(operand, opAt);
                case "$gt" -> compare(Relation.GT, operand, opAt);
                case "$gte" -> compare(Relation.GTE, operand, opAt);
                case "$lt" -> compare(Relation.LT, operand, opAt);
                case "$lte" -> compare(Relation.LTE, operand, opAt);
                default -> {
                    // A plain name here is most likely a nested object written as JSON rather than as a path.
                    problem(opAt, operator.startsWith("$") ? "unknown operator"
                            : "unknown operator; name a nested field with a dotted path such as payload.type");
                    yield null;
                }
            };
            if (condition != null) {
                conditions.add(condition);
            }
        }
        return conditions;
    }

    private PayloadFilterCondition equalTo(JsonValue operand, String at) {
        PayloadFilterScalar scalar = PayloadFilterScalar.of(operand);
        if (scalar == null) {
            problem(at, SCALAR);
            return null;
        }
        return new PayloadFilterCondition.EqualTo(scalar);
    }

    private PayloadFilterCondition in(JsonValue operand, String at) {
        if (!(operand instanceof JsonArray array)) {
            problem(at, SCALARS);
            return null;
        }
        Set<String> strings = new HashSet<>();
        List<PayloadFilterScalar> others = new ArrayList<>();
        for (JsonValue element : array) {
            PayloadFilterScalar scalar = PayloadFilterScalar.of(element);
            if (scalar == null) {
                problem(at, SCALARS);
                return null;
            }
            if (scalar.isString()) {
                strings.add(scalar.string());
            } else {
                others.add(scalar);
            }
        }
        return new PayloadFilterCondition.In(strings, others);
    }

    private PayloadFilterCondition exists(JsonValue operand, String at) {
        return switch (operand.getValueType()) {
            case TRUE -> new PayloadFilterCondition.Exists(true);
            case FALSE -> new PayloadFilterCondition.Exists(false);
            default -> {
                problem(at, "must be true or false");
                yield null;
            }
        };
    }

    private PayloadFilterCondition startsWith(JsonValue operand, String at) {
        if (!(operand instanceof JsonString prefix)) {
            problem(at, "must be a string");
            return null;
        }
        return new PayloadFilterCondition.StartsWith(prefix.getString());
    }

    private PayloadFilterCondition contains(JsonValue operand, String at) {
        PayloadFilterScalar scalar = PayloadFilterScalar.of(operand);
        if (scalar == null) {
            problem(at, SCALAR);
            return null;
        }
        return new PayloadFilterCondition.Contains(scalar);
    }

    private PayloadFilterCondition compare(Relation relation, JsonValue operand, String at) {
        if (!(operand instanceof JsonNumber bound)) {
            problem(at, "must be a number");
            return null;
        }
        return new PayloadFilterCondition.Compare(relation, bound.bigDecimalValue());
    }

    private static PayloadFilterCondition not(PayloadFilterCondition condition) {
        return condition == null ? null : new PayloadFilterCondition.Not(condition);
    }

    /** Records a problem; the node returned stands in for the broken part so that checking can go on. */
    private PayloadFilterNode problem(String at, String problem) {
        problems.add(at + ": " + problem);
        return PayloadFilterNode.ALWAYS;
    }

    /** Collects written text while counting its UTF-8 bytes, and fails the write that passes the limit. */
    private static final class BoundedText extends Writer {
        private final int limit;
        private final StringBuilder text = new StringBuilder();
        private int bytes;
        boolean exceeded;

        BoundedText(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(char[] chars, int offset, int length) throws IOException {
            for (int i = offset; i < offset + length; i++) {
                char c = chars[i];
                // A surrogate pair is 4 bytes: 2 for each half.
                bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            }
            if (bytes > limit) {
                exceeded = true;
                throw new IOException("filter too large");
            }
            text.append(chars, offset, length);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
