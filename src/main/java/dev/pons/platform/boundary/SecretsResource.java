package dev.pons.platform.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.platform.control.OperatorToken;
import dev.pons.platform.control.Reseal;

/** The operator's side of key rotation (deploy/README.md): everything sealed anew with the current key. */
@Path("v1/secrets")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Tag(name = "Operations")
public class SecretsResource {

    @Inject
    OperatorToken operator;

    @Inject
    Reseal reseal;

    @POST
    @Path("reseal")
    @Operation(summary = "Re-seal every stored secret with the first key of pons.secrets.encryption-key (operator"
            + " token); answers how many were re-sealed, already current, or did not open (those are left as they are)")
    public Reseal.Result reseal(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        operator.require(authorization);
        return reseal.all();
    }
}
