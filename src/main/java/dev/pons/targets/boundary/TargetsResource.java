package dev.pons.targets.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.accounts.control.Accounts;
import dev.pons.accounts.entity.Account;
import dev.pons.platform.boundary.Page;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.Limits;
import dev.pons.targets.control.Targets;
import dev.pons.targets.entity.WebhookTarget;

@Path("v1/accounts/{accountId}/webhook-targets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequestScoped
@Transactional
@Tag(name = "Webhook targets")
public class TargetsResource {

    static final String EXAMPLE = "{\"name\":\"CRM\",\"url\":\"https://crm.example.com/hooks/whatsapp\","
            + "\"events\":[\"message.inbound.received\",\"message.status.updated\"],\"phoneNumberIds\":[],"
            + "\"maxAttempts\":8,\"timeoutMs\":10000}";

    @Inject
    Accounts accounts;

    @Inject
    Targets targets;

    @Inject
    Clock clock;

    @POST
    @Operation(summary = "Create a webhook target; the answer carries the full signing secret, shown only here")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "target", value = EXAMPLE)))
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @PathParam("accountId") String accountId, JsonObject body) {
        Account account = accounts.authorize(authorization, accountId);
        Targets.WithSecret created = targets.create(account, body);
        return Response.status(201)
                .entity(TargetView.WithSecret.of(created.target(), created.signingSecret(), clock.millis())).build();
    }

    @GET
    @Operation(summary = "The account's webhook targets, newest first, with health and a secret preview")
    public Page<TargetView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                 @PathParam("accountId") String accountId,
                                 @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Account account = accounts.authorize(authorization, accountId);
        int size = Limits.pageSize(limit);
        List<WebhookTarget> rows = targets.list(account, size + 1, cursor);
        long now = clock.millis();
        return Page.of(rows, size, WebhookTarget::getId, target -> TargetView.of(target, now));
    }

    @GET
    @Path("{targetId}")
    @Operation(summary = "One webhook target")
    public TargetView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @PathParam("accountId") String accountId, @PathParam("targetId") String targetId) {
        Account account = accounts.authorize(authorization, accountId);
        return TargetView.of(targets.find(account, targetId), clock.millis());
    }

    @PATCH
    @Path("{targetId}")
    @Operation(summary = "Change the fields named in the body")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "disable", value = "{\"enabled\":false}")))
    public TargetView update(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                             @PathParam("accountId") String accountId, @PathParam("targetId") String targetId,
                             JsonObject body) {
        Account account = accounts.authorize(authorization, accountId);
        return TargetView.of(targets.update(account, targetId, body), clock.millis());
    }

    @DELETE
    @Path("{targetId}")
    @Operation(summary = "Remove a webhook target and its delivery log")
    public Response delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @PathParam("accountId") String accountId, @PathParam("targetId") String targetId) {
        Account account = accounts.authorize(authorization, accountId);
        targets.delete(account, targetId);
        return Response.noContent().build();
    }

    @POST
    @Path("{targetId}/rotate-secret")
    @Operation(summary = "Replace the signing secret; the previous one keeps signing X-Pons-Signature-Previous "
            + "and the second webhook-signature entry during the grace period (default 24 h)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "one hour grace", value = "{\"gracePeriodMs\":3600000}")))
    public TargetView.WithSecret rotateSecret(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                              @PathParam("accountId") String accountId,
                                              @PathParam("targetId") String targetId, JsonObject body) {
        Account account = accounts.authorize(authorization, accountId);
        Targets.WithSecret rotated = targets.rotateSecret(account, targetId, gracePeriod(body));
        return TargetView.WithSecret.of(rotated.target(), rotated.signingSecret(), clock.millis());
    }

    private static Long gracePeriod(JsonObject body) {
        if (body == null || !body.containsKey("gracePeriodMs") || body.isNull("gracePeriodMs")) {
            return null;
        }
        JsonValue value = body.get("gracePeriodMs");
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            throw DomainException.invalid("invalid grace period", List.of("gracePeriodMs: must be a whole number"));
        }
        return number.longValue();
    }
}
