package dev.pons.targets.control;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;

/** One compiled part of a {@link PayloadFilter}. Immutable, so compiled filters can be shared by threads. */
interface PayloadFilterNode {

    PayloadFilterNode ALWAYS = envelope -> true;

    boolean matches(JsonObject envelope);

    /** Every part must match; no parts match everything, which is what the empty filter {@code {}} means. */
    static PayloadFilterNode all(List<PayloadFilterNode> parts) {
        return switch (parts.size()) {
            case 0 -> ALWAYS;
            case 1 -> parts.get(0);
            default -> new All(parts.toArray(PayloadFilterNode[]::new));
        };
    }

    /** One part must match; the compiler refuses an empty list before it gets here. */
    static PayloadFilterNode any(List<PayloadFilterNode> parts) {
        return parts.size() == 1 ? parts.get(0) : new Any(parts.toArray(PayloadFilterNode[]::new));
    }

    final class All implements PayloadFilterNode {
        private final PayloadFilterNode[] parts;

        All(PayloadFilterNode[] parts) {
            this.parts = parts;
        }

        @Override
        public boolean matches(JsonObject envelope) {
            for (PayloadFilterNode part : parts) {
                if (!part.matches(envelope)) {
                    return false;
                }
            }
            return true;
        }
    }

    final class Any implements PayloadFilterNode {
        private final PayloadFilterNode[] parts;

        Any(PayloadFilterNode[] parts) {
            this.parts = parts;
        }

        @Override
        public boolean matches(JsonObject envelope) {
            for (PayloadFilterNode part : parts) {
                if (part.matches(envelope)) {
                    return true;
                }
            }
            return false;
        }
    }

    final class Not implements PayloadFilterNode {
        private final PayloadFilterNode part;

        Not(PayloadFilterNode part) {
            this.part = part;
        }

        @Override
        public boolean matches(JsonObject envelope) {
            return !part.matches(envelope);
        }
    }

    /** The conditions on one path, looked up once for all of them. */
    final class Field implements PayloadFilterNode {
        private final String[] path;
        private final PayloadFilterCondition[] conditions;

        Field(String[] path, PayloadFilterCondition[] conditions) {
            this.path = path;
            this.conditions = conditions;
        }

        @Override
        public boolean matches(JsonObject envelope) {
            JsonValue value = lookup(envelope);
            for (PayloadFilterCondition condition : conditions) {
                if (!condition.test(value)) {
                    return false;
                }
            }
            return true;
        }

        /** The value at the path, or Java null when it is absent (which JSON null is not). */
        private JsonValue lookup(JsonObject envelope) {
            JsonValue current = envelope;
            for (String name : path) {
                if (!(current instanceof JsonObject object)) {
                    return null;
                }
                current = object.get(name);
            }
            return current;
        }
    }
}
