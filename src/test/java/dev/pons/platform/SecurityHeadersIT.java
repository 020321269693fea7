package dev.pons.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pons.it.Api;

/**
 * The dashboard's pages, its scripts, the API's answers (also errors) and Meta's webhook all carry the
 * browser protections. That the dashboard still works under this policy is DashboardIT's job: a real
 * browser enforces it there.
 */
class SecurityHeadersIT {

    @ParameterizedTest
    @CsvSource({
            "GET, /, 200",
            "GET, /js/app.js, 200",
            "GET, /api/v1/account, 401",
            "POST, /api/v1/accounts, 401",
            "POST, /webhooks/meta, 401"})
    void everyAnswerCarriesThem(String method, String path, int status) {
        Api.Reply reply = Api.send(method, path, null, method.equals("POST") ? "{\"name\":\"x\"}" : null);
        assertEquals(status, reply.status(), reply.body());
        String csp = reply.header("Content-Security-Policy");
        assertTrue(csp != null && csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"),
                path + ": " + csp);
        assertTrue(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), csp);
        assertEquals("nosniff", reply.header("X-Content-Type-Options"), path);
        assertEquals("no-referrer", reply.header("Referrer-Policy"), path);
        assertNull(reply.header("Strict-Transport-Security"), "HSTS only over https");
    }
}
