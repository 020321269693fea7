package dev.pons.accounts.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.accounts.control.Accounts;
import dev.pons.accounts.control.Numbers;
import dev.pons.accounts.entity.Account;
import dev.pons.accounts.entity.PhoneNumber;
import dev.pons.platform.boundary.Page;

@Path("v1/accounts/{accountId}/numbers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequestScoped
@Transactional
@Tag(name = "Numbers")
public class NumbersResource {

    public record NewNumber(String phoneNumberId, String displayPhoneNumber, String accessToken) {
    }

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

    @POST
    @Operation(summary = "Register a WhatsApp number of this account (409 when any account has it)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "number", value =
            "{\"phoneNumberId\":\"106540352242922\",\"displayPhoneNumber\":\"+15550783881\",\"accessToken\":\"EAAG...\"}")))
    public Response register(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                             @PathParam("accountId") String accountId, @NotNull NewNumber body) {
        Account account = accounts.authorize(authorization, accountId);
        PhoneNumber number = numbers.register(account, body.phoneNumberId(), body.displayPhoneNumber(), body.accessToken());
        return Response.status(201).entity(NumberView.of(number)).build();
    }

    @GET
    @Operation(summary = "The account's numbers")
    public Page<NumberView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                 @PathParam("accountId") String accountId) {
        Account account = accounts.authorize(authorization, accountId);
        return new Page<>(numbers.of(account).stream().map(NumberView::of).toList(), null);
    }
}
