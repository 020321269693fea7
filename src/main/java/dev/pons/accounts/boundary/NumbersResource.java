package dev.pons.accounts.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.accounts.control.Accounts;
import dev.pons.accounts.control.NumberRegistrations;
import dev.pons.accounts.control.Numbers;
import dev.pons.accounts.entity.PhoneNumber;
import dev.pons.platform.boundary.Page;

/**
 * An account's WhatsApp numbers; each call takes one of the account's keys or the operator token. No
 * transaction here: registering asks Meta first, outside any (see {@link NumberRegistrations}).
 */
@Path("v1/accounts/{accountId}/numbers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequestScoped
@Tag(name = "Numbers")
public class NumbersResource {

    /** The access token is write-only: only whether one is stored is shown. */
    public record NumberView(String phoneNumberId, String displayPhoneNumber, boolean hasAccessToken, long createdAt) {
        static NumberView of(PhoneNumber number) {
            return new NumberView(number.getPhoneNumberId(), number.getDisplayPhoneNumber(),
                    number.getAccessTokenSealed() != null, number.getCreatedAt());
        }
    }

    @Inject
    Accounts accounts;

    @Inject
    Numbers numbers;

    @Inject
    NumberRegistrations registrations;

    @POST
    @Operation(summary = "Register a WhatsApp number of this account, proved by an access token",
            description = "The Cloud API must answer GET /{phoneNumberId} with that id for the access token."
                    + " The operator token registers for any account without proof (the token is then optional).")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "number", value =
            "{\"phoneNumberId\":\"106540352242922\",\"displayPhoneNumber\":\"+15550783881\",\"accessToken\":\"EAAG...\"}")))
    @APIResponse(responseCode = "201", description = "Registered")
    @APIResponse(responseCode = "400", description = "Invalid input, or the Cloud API refused the token for this"
            + " number or answered for another id; nothing was registered")
    @APIResponse(responseCode = "409", description = "Proved, but registered already (with this or another account)")
    @APIResponse(responseCode = "429", description = "The account holds as many numbers as it may")
    @APIResponse(responseCode = "502", description = "The Cloud API could not be reached or did not answer in time;"
            + " nothing was registered")
    public Response register(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                             @PathParam("accountId") String accountId, JsonObject body) {
        Accounts.Caller caller = accounts.authorizeOrOperator(authorization, accountId);
        PhoneNumber number = registrations.register(caller.account(), body, caller.operator());
        return Response.status(201).entity(NumberView.of(number)).build();
    }

    @GET
    @Operation(summary = "The account's numbers")
    public Page<NumberView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                 @PathParam("accountId") String accountId) {
        Accounts.Caller caller = accounts.authorizeOrOperator(authorization, accountId);
        return new Page<>(numbers.of(caller.account()).stream().map(NumberView::of).toList(), null);
    }

    @DELETE
    @Path("{phoneNumberId}")
    @Operation(summary = "Release a number: its stored access token is deleted, Meta's webhooks for it are no"
            + " longer forwarded, and it can be registered again")
    @APIResponse(responseCode = "204", description = "Released")
    @APIResponse(responseCode = "404", description = "Not a number of this account")
    public Response release(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                            @PathParam("accountId") String accountId,
                            @PathParam("phoneNumberId") String phoneNumberId) {
        Accounts.Caller caller = accounts.authorizeOrOperator(authorization, accountId);
        numbers.release(caller.account(), phoneNumberId);
        return Response.noContent().build();
    }
}
