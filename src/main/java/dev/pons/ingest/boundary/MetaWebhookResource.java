package dev.pons.ingest.boundary;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.ingest.control.WebhookBatches;
import dev.pons.ingest.control.MetaSignature;
import dev.pons.platform.boundary.ApiError;

/** Meta's WhatsApp Cloud API webhook: the verification handshake and signed notifications. */
@Path("meta")
@Tag(name = "Meta webhook")
public class MetaWebhookResource {

    public record Stored(String id) {
    }

    @Inject
    WebhookBatches batches;

    @Inject
    @ConfigProperty(name = "pons.meta.verify-token")
    String verifyToken;

    @Inject
    @ConfigProperty(name = "pons.meta.app-secret")
    String appSecret;

    @GET
    // No @Produces: the challenge goes back as text/plain whatever the caller's Accept header says.
    @Operation(summary = "Meta's subscription handshake: echoes hub.challenge when the verify token matches")
    public Response verify(@QueryParam("hub.mode") String mode, @QueryParam("hub.verify_token") String token,
                           @QueryParam("hub.challenge") String challenge) {
        boolean matches = token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                verifyToken.getBytes(StandardCharsets.UTF_8));
        if (!"subscribe".equals(mode) || !matches || challenge == null) {
            return Response.status(403).type(MediaType.TEXT_PLAIN).entity("verification failed").build();
        }
        return Response.ok(challenge, MediaType.TEXT_PLAIN).build();
    }

    /**
     * Verifies the signature over the raw bytes before anything is parsed, stores the body with its
     * events (together with the webhooks that arrive meanwhile) and answers 200 only once that
     * committed. If making events fails, the body alone is kept and processed from the ingest queue:
     * what Meta sent is never refused for our own trouble.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Meta's notifications, signed with X-Hub-Signature-256")
    public Response receive(@HeaderParam("X-Hub-Signature-256") String signature, byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        if (!MetaSignature.verify(raw, signature, appSecret)) {
            return Response.status(401).type(MediaType.APPLICATION_JSON)
                    .entity(ApiError.of("missing or invalid X-Hub-Signature-256")).build();
        }
        return Response.ok(new Stored(await(batches.receive(raw)))).build();
    }

    /** The writer's failure as if it were this thread's own, for the error mappers. */
    private static String await(CompletableFuture<String> stored) {
        try {
            return stored.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
