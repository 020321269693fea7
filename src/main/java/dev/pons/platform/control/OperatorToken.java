package dev.pons.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Checks the operator token ({@code pons.admin.token}) that guards account creation and key recovery. */
@ApplicationScoped
public class OperatorToken {

    @Inject
    @ConfigProperty(name = "pons.admin.token")
    String token;

    public void require(String authorizationHeader) {
        if (!presentedIn(authorizationHeader)) {
            throw new DomainException(DomainException.Kind.UNAUTHORIZED, "missing or invalid operator token");
        }
    }

    /** Whether the header carries the operator token, for calls that also take an account's API key. */
    public boolean presentedIn(String authorizationHeader) {
        String presented = Bearer.token(authorizationHeader);
        return presented != null && MessageDigest.isEqual(
                presented.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }
}
