package dev.pons.delivery.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.accounts.control.Accounts;
import dev.pons.accounts.entity.Account;
import dev.pons.delivery.control.Deliveries;
import dev.pons.delivery.entity.Delivery;
import dev.pons.platform.boundary.Page;
import dev.pons.platform.control.Limits;
import dev.pons.targets.control.Targets;
import dev.pons.targets.entity.WebhookTarget;

/**
 * A target's delivery log. Each delivery endpoint under a target is a root resource of its own with a
 * literal last segment, so that JAX-RS picks it over the targets' resource on every server.
 */
@Path("v1/accounts/{accountId}/webhook-targets/{targetId}/deliveries")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Transactional
@Tag(name = "Deliveries")
public class TargetDeliveriesResource {

    @Inject
    Accounts accounts;

    @Inject
    Targets targets;

    @Inject
    Deliveries deliveries;

    @GET
    @Operation(summary = "The target's deliveries, newest first; filter by status")
    public Page<DeliveryView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                   @PathParam("accountId") String accountId, @PathParam("targetId") String targetId,
                                   @QueryParam("status") String status, @QueryParam("limit") String limit,
                                   @QueryParam("cursor") String cursor) {
        Account account = accounts.authorize(authorization, accountId);
        WebhookTarget target = targets.find(account, targetId);
        int size = Limits.pageSize(limit);
        List<Delivery> rows = deliveries.ofTarget(target, StatusParameter.parse(status), size + 1, cursor);
        return Page.of(rows, size, Delivery::getId, DeliveryView::of);
    }
}
