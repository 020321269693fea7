package dev.pons.delivery.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.accounts.control.Accounts;
import dev.pons.accounts.entity.Account;
import dev.pons.delivery.control.Replays;
import dev.pons.delivery.entity.DeliveryStatus;
import dev.pons.platform.control.DomainException;
import dev.pons.targets.control.Targets;
import dev.pons.targets.entity.WebhookTarget;

/** Delivers again what a target was sent in a time range. */
@Path("v1/accounts/{accountId}/webhook-targets/{targetId}/replay")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequestScoped
@Transactional
@Tag(name = "Deliveries")
public class ReplaysResource {

    @Inject
    Accounts accounts;

    @Inject
    Targets targets;

    @Inject
    Replays replays;

    public record Replayed(int replayed) {
    }

    @POST
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    @Operation(summary = "Deliver again what matches: {since, until?, status?} (epoch ms); answers how many")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "failed in the last 3 days",
            value = "{\"since\":1767225600000,\"status\":\"failed\"}")))
    public Replayed replay(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @PathParam("accountId") String accountId, @PathParam("targetId") String targetId,
                           JsonObject body) {
        Account account = accounts.authorize(authorization, accountId);
        WebhookTarget target = targets.find(account, targetId);
        if (body == null || !(body.get("since") instanceof JsonNumber since) || !since.isIntegral()) {
            throw DomainException.invalid("invalid replay", List.of("since: required, epoch milliseconds"));
        }
        Long until = null;
        if (body.containsKey("until") && !body.isNull("until")) {
            if (!(body.get("until") instanceof JsonNumber u) || !u.isIntegral()) {
                throw DomainException.invalid("invalid replay", List.of("until: epoch milliseconds"));
            }
            until = u.longValue();
        }
        DeliveryStatus status = body.containsKey("status") && !body.isNull("status")
                ? StatusParameter.parse(body.get("status") instanceof JsonString s ? s.getString() : "?") : null;
        return new Replayed(replays.replay(target, since.longValue(), until, status));
    }
}
