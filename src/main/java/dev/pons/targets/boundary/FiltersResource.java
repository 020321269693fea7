package dev.pons.targets.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.accounts.control.Accounts;
import dev.pons.targets.control.TargetFilters;

/** Trying a payload filter on the account's events before putting it on a target. */
@Path("v1/accounts/{accountId}/filters/evaluate")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequestScoped
@Transactional
@Tag(name = "Webhook targets")
public class FiltersResource {

    @Inject
    Accounts accounts;

    @Inject
    TargetFilters filters;

    @POST
    @Operation(summary = "Whether a filter matches one event ({filter, eventId} -> {matches}) or how many of the"
            + " account's last events ({filter, limit <= 500} -> {matched, of})")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "button replies among the last 100",
            value = "{\"filter\":{\"type\":\"message.inbound.received\",\"payload.type\":\"interactive\"},\"limit\":100}")))
    public Response evaluate(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                             @PathParam("accountId") String accountId, JsonObject body) {
        // Written by its runtime type: {matches} for one event, {matched, of} for the last ones.
        return Response.ok(filters.evaluate(accounts.authorize(authorization, accountId), body)).build();
    }
}
