package dev.pons.delivery.entity;

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
}
