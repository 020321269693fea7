package dev.pons.ingest.boundary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

import dev.pons.platform.boundary.BodySizeLimit;
import dev.pons.platform.boundary.ErrorMappers;
import dev.pons.platform.boundary.JsonConfiguration;

/** Inbound webhooks from Meta under {@code /webhooks}, with a body limit fit for Meta's batches. */
@ApplicationPath("webhooks")
public class WebhooksApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(
                MetaWebhookResource.class,
                JsonConfiguration.class,
                BodySizeLimit.MetaBodies.class,
                ErrorMappers.WebApplicationErrors.class,
                ErrorMappers.UnreadableBodies.class,
                ErrorMappers.DomainErrors.class,
                ErrorMappers.Unexpected.class);
    }
}
