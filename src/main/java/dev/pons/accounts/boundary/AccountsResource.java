package dev.pons.accounts.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.accounts.control.Accounts;
import dev.pons.accounts.entity.Account;
import dev.pons.platform.control.OperatorToken;

@Path("v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequestScoped
@Transactional
@Tag(name = "Accounts")
public class AccountsResource {

    /**
     * A class with annotated fields, not a record: on a record the constraints also land on the canonical
     * constructor's parameters, and Payara's OpenAPI scanner fails on those (NullPointerException in
     * ApplicationProcessor.addSchemaParameter: /openapi answered 500).
     */
    public static class NewAccount {
        @NotNull
        @NotBlank
        @Size(max = 200)
        // The column's limit; no name needs a control character, and PostgreSQL refuses a NUL.
        @Pattern(regexp = "[^\\p{Cc}]*", message = "must not contain control characters")
        public String name;
    }

    public record AccountView(String id, String name, long createdAt) {
        static AccountView of(Account account) {
            return new AccountView(account.getId(), account.getName(), account.getCreatedAt());
        }
    }

    public record CreatedAccount(String id, String name, long createdAt, String apiKey) {
    }

    @Inject
    OperatorToken operator;

    @Inject
    Accounts accounts;

    @Inject
    Validator validator;

    @POST
    @Path("accounts")
    @Operation(summary = "Create an account (operator token); the API key is shown only in this answer")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "account", value = "{\"name\":\"Acme Support\"}")))
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, NewAccount body) {
        // The token before the body: a caller without it learns nothing from what validation would say.
        operator.require(authorization);
        validate(body == null ? new NewAccount() : body);
        Accounts.Created created = accounts.create(body.name.strip());
        Account account = created.account();
        return Response.status(201)
                .entity(new CreatedAccount(account.getId(), account.getName(), account.getCreatedAt(), created.apiKey()))
                .build();
    }

    private void validate(NewAccount body) {
        Set<ConstraintViolation<NewAccount>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
    }

    @GET
    @Path("account")
    @Operation(summary = "The account the presented API key belongs to")
    public AccountView me(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return AccountView.of(accounts.authenticate(authorization));
    }
}
