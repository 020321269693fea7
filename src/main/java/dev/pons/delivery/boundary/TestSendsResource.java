package dev.pons.delivery.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.accounts.control.Accounts;
import dev.pons.accounts.entity.Account;
import dev.pons.delivery.control.Deliveries;
import dev.pons.delivery.control.TestSends;
import dev.pons.delivery.entity.Delivery;
import dev.pons.delivery.entity.DeliveryStatus;
import dev.pons.targets.control.Targets;

/** "Send test event": a signed sample delivery to one target, answered with its outcome. */
@Path("v1/accounts/{accountId}/webhook-targets/{targetId}/test")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Tag(name = "Deliveries")
public class TestSendsResource {

    @Inject
    Accounts accounts;

    @Inject
    Targets targets;

    @Inject
    Deliveries deliveries;

    @Inject
    TestSends testSends;

    public record TestOutcome(boolean succeeded, String deliveryId, DeliveryView.AttemptView attempt,
                              DeliveryView delivery) {
    }

    @POST
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    @Operation(summary = "Send a signed test event to this target now and answer with the attempt")
    public TestOutcome test(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                            @PathParam("accountId") String accountId, @PathParam("targetId") String targetId) {
        Account account = accounts.authorize(authorization, accountId);
        targets.find(account, targetId);
        String deliveryId = testSends.send(account.getId(), targetId);
        Delivery delivery = deliveries.find(account, deliveryId);
        var attempts = deliveries.attempts(delivery);
        DeliveryView.AttemptView last = attempts.isEmpty() ? null
                : DeliveryView.AttemptView.of(attempts.get(attempts.size() - 1));
        return new TestOutcome(delivery.getStatus() == DeliveryStatus.SUCCEEDED, deliveryId, last,
                DeliveryView.of(delivery, attempts));
    }
}
