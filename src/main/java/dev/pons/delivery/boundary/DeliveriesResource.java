package dev.pons.delivery.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.accounts.control.Accounts;
import dev.pons.accounts.entity.Account;
import dev.pons.delivery.control.Deliveries;
import dev.pons.delivery.entity.Delivery;
import dev.pons.targets.control.Targets;

@Path("v1/accounts/{accountId}/deliveries")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Transactional
@Tag(name = "Deliveries")
public class DeliveriesResource {

    @Inject
    Accounts accounts;

    @Inject
    Deliveries deliveries;

    @Inject
    Targets targets;

    @GET
    @Path("{deliveryId}")
    @Operation(summary = "A delivery with every attempt: time, status code, latency, error, response snippet")
    public DeliveryView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                            @PathParam("accountId") String accountId, @PathParam("deliveryId") String deliveryId) {
        Account account = accounts.authorize(authorization, accountId);
        Delivery delivery = deliveries.find(account, deliveryId);
        return DeliveryView.of(delivery, deliveries.attempts(delivery));
    }

    @POST
    @Path("{deliveryId}/retry")
    @Operation(summary = "Deliver again now: a new attempt series with the same delivery id, also when failed")
    public Response retry(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @PathParam("accountId") String accountId, @PathParam("deliveryId") String deliveryId) {
        Account account = accounts.authorize(authorization, accountId);
        Delivery delivery = deliveries.find(account, deliveryId);
        Delivery restarted = deliveries.retry(delivery, targets.find(account, delivery.getTargetId()));
        return Response.accepted(DeliveryView.of(restarted)).build();
    }
}
