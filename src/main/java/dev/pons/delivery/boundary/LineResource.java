package dev.pons.delivery.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.accounts.control.Accounts;
import dev.pons.accounts.entity.Account;
import dev.pons.delivery.control.Lines;
import dev.pons.targets.control.Targets;
import dev.pons.targets.entity.WebhookTarget;

/** A FIFO target's line: what is at its head, why it waits, and how many wait behind it. */
@Path("v1/accounts/{accountId}/webhook-targets/{targetId}/line")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Transactional
@Tag(name = "Deliveries")
public class LineResource {

    /** {@code head} null when the line is empty; {@code state} as {@link Lines#line} says. */
    public record LineView(String ordering, DeliveryView head, String state, long waiting) {
    }

    @Inject
    Accounts accounts;

    @Inject
    Targets targets;

    @Inject
    Lines lines;

    @GET
    @Operation(summary = "A FIFO target's line: its head, why the head waits, how many wait behind it")
    public LineView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                        @PathParam("accountId") String accountId, @PathParam("targetId") String targetId) {
        Account account = accounts.authorize(authorization, accountId);
        WebhookTarget target = targets.find(account, targetId);
        Lines.Line line = lines.line(target);
        return new LineView(target.getOrdering(), line.head() == null ? null : DeliveryView.of(line.head()),
                line.state(), line.waiting());
    }
}
