package dev.pons.targets.control;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/** One compiled operator of a {@link PayloadFilter} condition, tested against the value at a path. */
interface PayloadFilterCondition {

    /** @param value the value at the path, or Java null when the path is absent */
    boolean test(JsonValue value);

    final class EqualTo implements PayloadFilterCondition {
        private final PayloadFilterScalar operand;

        EqualTo(PayloadFilterScalar operand) {
            this.operand = operand;
        }

        @Override
        public boolean test(JsonValue value) {
            return operand.equalTo(value);
        }
    }

    /** {@code $ne} and {@code $nin}: absent counts as null, so they match an absent field unless null is named. */
    final class Not implements PayloadFilterCondition {
        private final PayloadFilterCondition condition;

        Not(PayloadFilterCondition condition) {
            this.condition = condition;
        }

        @Override
        public boolean test(JsonValue value) {
            return !condition.test(value);
        }
    }

    /** Strings, by far the usual operands, are hashed; the other scalars are few and compared one by one. */
    final class In implements PayloadFilterCondition {
        private final Set<String> strings;
        private final PayloadFilterScalar[] others;

        In(Set<String> strings, List<PayloadFilterScalar> others) {
            this.strings = Set.copyOf(strings);
            this.others = others.toArray(PayloadFilterScalar[]::new);
        }

        @Override
        public boolean test(JsonValue value) {
            if (value instanceof JsonString string) {
                return strings.contains(string.getString());
            }
            for (PayloadFilterScalar other : others) {
                if (other.equalTo(value)) {
                    return true;
                }
            }
            return false;
        }
    }

    final class Exists implements PayloadFilterCondition {
        private final boolean expected;

        Exists(boolean expected) {
            this.expected = expected;
        }

        @Override
        public boolean test(JsonValue value) {
            return (value != null) == expected;
        }
    }

    final class StartsWith implements PayloadFilterCondition {
        private final String prefix;

        StartsWith(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public boolean test(JsonValue value) {
            return value instanceof JsonString string && string.getString().startsWith(prefix);
        }
    }

    final class Contains implements PayloadFilterCondition {
        private final PayloadFilterScalar operand;

        Contains(PayloadFilterScalar operand) {
            this.operand = operand;
        }

        @Override
        public boolean test(JsonValue value) {
            if (value instanceof JsonString string) {
                String substring = operand.string();
                return substring != null && string.getString().contains(substring);
            }
            if (value instanceof JsonArray array) {
                for (int i = 0, size = array.size(); i < size; i++) {
                    if (operand.equalTo(array.get(i))) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** {@code $gt}, {@code $gte}, {@code $lt}, {@code $lte}: numbers only, by value. */
    final class Compare implements PayloadFilterCondition {
        enum Relation { GT, GTE, LT, LTE }

        private final Relation relation;
        private final BigDecimal bound;

        Compare(Relation relation, BigDecimal bound) {
            this.relation = relation;
            this.bound = bound;
        }

        @Override
        public boolean test(JsonValue value) {
            if (!(value instanceof JsonNumber number)) {
                return false;
            }
            int order = number.bigDecimalValue().compareTo(bound);
            return switch (relation) {
                case GT -> order > 0;
                case GTE -> order >= 0;
                case LT -> order < 0;
                case LTE -> order <= 0;
            };
        }
    }
}
