package dev.pons.delivery.boundary;

import java.util.List;

import dev.pons.delivery.entity.DeliveryStatus;
import dev.pons.platform.control.DomainException;

/** A {@code status} filter as the API takes it: a wire name, or nothing for "any". */
final class StatusParameter {

    private StatusParameter() {
    }

    static DeliveryStatus parse(String status) {
        if (status == null || status.isEmpty()) {
            return null;
        }
        return DeliveryStatus.ofWireName(status).orElseThrow(() -> DomainException.invalid("invalid status",
                List.of("status: must be one of " + String.join(", ", DeliveryStatus.wireNames()))));
    }
}
