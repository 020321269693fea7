package dev.pons.platform.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.pons.platform.control.RequiredSecrets;

/**
 * Basic authentication for {@code /metrics} outside the {@code dev} profile where the server mounts its metrics
 * endpoint inside this application: Payara Micro does so when the application has the root context, as Pons has.
 * Liberty serves {@code /metrics} from an application of its own, which this filter never sees; there the
 * server's {@code mpMetrics} authentication asks for the same credentials (liberty/server.xml). Without a
 * configured password nobody gets in.
 */
@WebFilter(filterName = "MetricsGuard", urlPatterns = {"/metrics", "/metrics/*"})
public class MetricsGuard extends HttpFilter {

    @Inject
    @ConfigProperty(name = "mp.config.profile")
    Optional<String> profile;

    @Inject
    @ConfigProperty(name = "pons.metrics.user")
    String user;

    @Inject
    @ConfigProperty(name = "pons.metrics.password")
    Optional<String> password;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (RequiredSecrets.development(profile) || authorized(request.getHeader("Authorization"))) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("WWW-Authenticate", "Basic realm=\"metrics\", charset=\"UTF-8\"");
        response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
    }

    private boolean authorized(String header) {
        Optional<String> expected = password.map(String::strip).filter(p -> !p.isEmpty());
        if (expected.isEmpty() || header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String presented;
        try {
            presented = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                (user + ":" + expected.get()).getBytes(StandardCharsets.UTF_8));
    }
}
