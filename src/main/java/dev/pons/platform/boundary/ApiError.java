package dev.pons.platform.boundary;

import java.util.List;

/** The one error shape of the API: {@code {"error": "...", "details": [...]}}. */
public record ApiError(String error, List<String> details) {

    public static ApiError of(String error) {
        return new ApiError(error, List.of());
    }
}
