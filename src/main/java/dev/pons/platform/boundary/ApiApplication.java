package dev.pons.platform.boundary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

import dev.pons.diagnostics.boundary.PingsResource;

/**
 * The public v1 API under {@code /api}. Resources are listed, not scanned: the dashboard at {@code /}
 * and Meta's webhook at {@code /webhooks} live beside it, and this list is the API surface at a glance.
 */
@ApplicationPath("api")
public class ApiApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(
                PingsResource.class,
                JsonConfiguration.class,
                ErrorMappers.WebApplicationErrors.class,
                ErrorMappers.ConstraintViolations.class,
                ErrorMappers.UnreadableBodies.class,
                ErrorMappers.DomainErrors.class,
                ErrorMappers.Unexpected.class);
    }
}
