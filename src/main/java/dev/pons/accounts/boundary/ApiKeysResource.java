package dev.pons.accounts.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.accounts.control.AccountKeys;
import dev.pons.accounts.control.Accounts;
import dev.pons.accounts.control.ApiKeys;
import dev.pons.accounts.entity.ApiKey;
import dev.pons.platform.boundary.Page;

/** An account's API keys; each call takes one of the account's keys or the operator token. */
@Path("v1/accounts/{accountId}/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequestScoped
@Transactional
@Tag(name = "API keys")
public class ApiKeysResource {

    /** A key as lists show it: never the key or its hash. */
    public record ApiKeyView(String id, String name, String preview, long createdAt, Long lastUsedAt) {
        static ApiKeyView of(ApiKey key) {
            return new ApiKeyView(key.getId(), key.getName(), key.getPreview(), key.getCreatedAt(), key.getLastUsedAt());
        }
    }

    /** The answer of a create: the key itself, shown only here. */
    public record NewApiKeyView(String id, String name, String preview, long createdAt, Long lastUsedAt, String key) {
        static NewApiKeyView of(ApiKeys.Issued issued) {
            ApiKey row = issued.apiKey();
            return new NewApiKeyView(row.getId(), row.getName(), row.getPreview(), row.getCreatedAt(),
                    row.getLastUsedAt(), issued.key());
        }
    }

    @Inject
    Accounts accounts;

    @Inject
    AccountKeys keys;

    @GET
    @Operation(summary = "The account's API keys, newest first, each with a preview and when it was last used")
    public Page<ApiKeyView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                 @PathParam("accountId") String accountId) {
        Accounts.Caller caller = accounts.authorizeOrOperator(authorization, accountId);
        return new Page<>(keys.of(caller.account()).stream().map(ApiKeyView::of).toList(), null);
    }

    /*
     * The body is taken as any JSON value: a JsonObject parameter given an array fails in RESTEasy as a
     * 500 whose log line lists the arguments, the Authorization header with them.
     */
    @POST
    @Operation(summary = "Mint an API key (also with the operator token); the key is shown only in this answer")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "key", value = "{\"name\":\"CRM integration\"}")))
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @PathParam("accountId") String accountId, JsonValue body) {
        Accounts.Caller caller = accounts.authorizeOrOperator(authorization, accountId);
        return Response.status(201).entity(NewApiKeyView.of(keys.mint(caller.account(), body))).build();
    }

    @DELETE
    @Path("{keyId}")
    @Operation(summary = "Revoke an API key: the next request with it is refused (401). The account's last key"
            + " answers 409 unless the operator token revokes it")
    public Response revoke(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @PathParam("accountId") String accountId, @PathParam("keyId") String keyId) {
        Accounts.Caller caller = accounts.authorizeOrOperator(authorization, accountId);
        keys.revoke(caller.account(), keyId, caller.operator());
        return Response.noContent().build();
    }
}
