package dev.pons;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

import dev.pons.accounts.boundary.AccountsResource;
import dev.pons.accounts.boundary.ApiKeysResource;
import dev.pons.accounts.boundary.NumbersResource;
import dev.pons.delivery.boundary.DeliveriesResource;
import dev.pons.delivery.boundary.DeliveryStatsResource;
import dev.pons.delivery.boundary.LineResource;
import dev.pons.delivery.boundary.ReplaysResource;
import dev.pons.delivery.boundary.TargetDeliveriesResource;
import dev.pons.delivery.boundary.TestSendsResource;
import dev.pons.diagnostics.boundary.PingsResource;
import dev.pons.events.boundary.EventsResource;
import dev.pons.platform.boundary.BodySizeLimit;
import dev.pons.platform.boundary.ErrorMappers;
import dev.pons.platform.boundary.JsonConfiguration;
import dev.pons.platform.boundary.JsonObjectBodies;
import dev.pons.platform.boundary.ParameterCheck;
import dev.pons.platform.boundary.SecretsResource;
import dev.pons.sending.boundary.MessagesResource;
import dev.pons.targets.boundary.FiltersResource;
import dev.pons.targets.boundary.JmsDestinationsResource;
import dev.pons.targets.boundary.TargetsResource;

/**
 * The public v1 API under {@code /api}, and the one place that knows every component: the composition
 * root. Resources are listed, not scanned: the dashboard at {@code /} and Meta's webhook at
 * {@code /webhooks} live beside it, and this list is the API surface at a glance.
 */
@ApplicationPath("api")
@OpenAPIDefinition(info = @Info(title = "Pons webhook forwarder", version = "v1",
        description = "Forwards WhatsApp Business events as signed HTTP POSTs to your webhook targets."))
public class ApiApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(
                AccountsResource.class,
                ApiKeysResource.class,
                NumbersResource.class,
                TargetsResource.class,
                JmsDestinationsResource.class,
                FiltersResource.class,
                TargetDeliveriesResource.class,
                LineResource.class,
                DeliveriesResource.class,
                ReplaysResource.class,
                TestSendsResource.class,
                DeliveryStatsResource.class,
                EventsResource.class,
                MessagesResource.class,
                PingsResource.class,
                SecretsResource.class,
                JsonConfiguration.class,
                JsonObjectBodies.class,
                ParameterCheck.class,
                BodySizeLimit.ApiBodies.class,
                ErrorMappers.WebApplicationErrors.class,
                ErrorMappers.ConstraintViolations.class,
                ErrorMappers.UnreadableBodies.class,
                ErrorMappers.DomainErrors.class,
                ErrorMappers.Unexpected.class);
    }
}
