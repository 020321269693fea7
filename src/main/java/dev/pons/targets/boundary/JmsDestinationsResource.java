package dev.pons.targets.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
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
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.accounts.control.Accounts;
import dev.pons.accounts.entity.Account;
import dev.pons.platform.boundary.Page;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.OperatorToken;
import dev.pons.targets.control.JmsDestinations;
import dev.pons.targets.entity.JmsGrant;

/**
 * The JMS destinations an account's targets may publish to. The operator grants and revokes them (operator
 * token); the account lists them with its API key. Only destinations configured on the server can be granted.
 */
@Path("v1/accounts/{accountId}/jms-destinations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequestScoped
@Transactional
@Tag(name = "JMS destinations")
public class JmsDestinationsResource {

    /** A grant as the API shows it: the name only; the JNDI names behind it are the operator's. */
    public record GrantView(String name, String kind, long createdAt) {
    }

    @Inject
    Accounts accounts;

    @Inject
    OperatorToken operator;

    @Inject
    JmsDestinations destinations;

    @PersistenceContext
    EntityManager em;

    @GET
    @Operation(summary = "The JMS destinations granted to the account (its API key or the operator token)")
    public Page<GrantView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                @PathParam("accountId") String accountId) {
        Account account = accounts.authorizeOrOperator(authorization, accountId).account();
        return new Page<>(destinations.grantsOf(account).stream().map(this::view).toList(), null);
    }

    /* Taken as any JSON value: see ApiKeysResource.create. */
    @POST
    @Operation(summary = "Grant a configured JMS destination to the account (operator token only)")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "grant", value = "{\"name\":\"example\"}")))
    public Response grant(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @PathParam("accountId") String accountId, JsonValue body) {
        operator.require(authorization);
        Account account = account(accountId);
        JmsDestinations.Granted granted = destinations.grant(account, name(body));
        return Response.status(granted.created() ? 201 : 200).entity(view(granted.grant())).build();
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Revoke a grant (operator token only); the account's targets naming it fail their deliveries"
            + " until it is granted again or they are changed")
    public Response revoke(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @PathParam("accountId") String accountId, @PathParam("name") String name) {
        operator.require(authorization);
        destinations.revoke(account(accountId), name);
        return Response.noContent().build();
    }

    private Account account(String accountId) {
        Account account = em.find(Account.class, accountId);
        if (account == null) {
            throw DomainException.notFound("account " + accountId);
        }
        return account;
    }

    private GrantView view(JmsGrant grant) {
        String kind = destinations.configured(grant.getName()).map(d -> d.topic() ? "topic" : "queue").orElse(null);
        return new GrantView(grant.getName(), kind, grant.getCreatedAt());
    }

    private static String name(JsonValue body) {
        if (body instanceof JsonObject object && object.get("name") instanceof JsonString name
                && !name.getString().isBlank()) {
            return name.getString().strip();
        }
        throw DomainException.invalid("invalid grant", List.of("name: a configured destination's name is required"));
    }
}
