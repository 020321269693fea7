package dev.pons.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.pons.it.Api;
import dev.pons.it.MetricsEndpoint;

/**
 * The IT server runs as in production (no dev profile): Liberty's /metrics answers the metrics user over https
 * and nobody else, and plain http never gets the metrics.
 */
class MetricsAuthIT {

    @Test
    void withoutCredentialsMetricsAreRefused() {
        Api.Reply anonymous = MetricsEndpoint.send(MetricsEndpoint.request(MetricsEndpoint.BASE, "application").build());
        assertEquals(401, anonymous.status(), anonymous.body());
        assertTrue(String.valueOf(anonymous.header("WWW-Authenticate")).startsWith("Basic"), anonymous.raw().headers().toString());

        Api.Reply wrong = MetricsEndpoint.send(MetricsEndpoint.request(MetricsEndpoint.BASE, "application")
                .header("Authorization", MetricsEndpoint.basic(MetricsEndpoint.USER, "not-the-password")).build());
        assertEquals(401, wrong.status(), wrong.body());
    }

    @Test
    void plainHttpDoesNotServeMetrics() {
        Api.Reply plain = MetricsEndpoint.send(MetricsEndpoint.request(Api.BASE, "application")
                .header("Authorization", MetricsEndpoint.basic(MetricsEndpoint.USER, MetricsEndpoint.PASSWORD)).build());
        assertNotEquals(200, plain.status(), plain.body());
        assertTrue(!plain.body().contains("pons_deliveries_pending"), plain.body());
    }

    @Test
    void theMetricsUserReadsEveryScope() {
        Api.Reply application = MetricsEndpoint.scrape("application");
        assertEquals(200, application.status(), application.body());
        assertTrue(application.body().contains("pons_deliveries_pending"), application.body());
        Api.Reply base = MetricsEndpoint.scrape("base");
        assertEquals(200, base.status(), base.body());
        assertTrue(base.body().contains("memory_usedHeap_bytes"), base.body());
    }
}
