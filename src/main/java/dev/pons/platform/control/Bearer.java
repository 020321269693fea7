package dev.pons.platform.control;

/** Reads {@code Authorization: Bearer <token>}. */
public final class Bearer {

    private Bearer() {
    }

    /** The token, or null when the header is missing or not a bearer token. */
    public static String token(String authorizationHeader) {
        if (authorizationHeader == null) {
            return null;
        }
        String header = authorizationHeader.strip();
        if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).strip();
        return token.isEmpty() ? null : token;
    }
}
