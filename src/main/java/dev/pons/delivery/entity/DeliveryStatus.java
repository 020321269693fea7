package dev.pons.delivery.entity;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Where a delivery stands. The API and the {@code delivery.status} column use the lower-case wire name. */
public enum DeliveryStatus {
    PENDING, SUCCEEDED, FAILED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    public static Optional<DeliveryStatus> ofWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(DeliveryStatus::wireName).toList();
    }

    /** Stores the wire name, so native SQL, the database and the API read the same words. */
    @Converter
    public static class Column implements AttributeConverter<DeliveryStatus, String> {

        @Override
        public String convertToDatabaseColumn(DeliveryStatus status) {
            return status == null ? null : status.wireName();
        }

        @Override
        public DeliveryStatus convertToEntityAttribute(String column) {
            return column == null ? null : ofWireName(column).orElseThrow(
                    () -> new IllegalStateException("unknown delivery status " + column));
        }
    }
}
