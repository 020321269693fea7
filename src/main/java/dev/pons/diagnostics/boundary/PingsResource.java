package dev.pons.diagnostics.boundary;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.diagnostics.control.Pings;
import dev.pons.diagnostics.entity.Ping;
import dev.pons.platform.control.OperatorToken;

/**
 * Operator self-test: proves that request, database, broker and listener work together on this
 * server. {@code ?poison=true} makes the listener fail, to watch redelivery and dead-lettering.
 */
@Path("v1/diagnostics/pings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Diagnostics")
public class PingsResource {

    public record PingView(String id, boolean poison, long createdAt, int attempts, Long receivedAt,
                           Long deadLetteredAt) {
        static PingView of(Ping ping) {
            return new PingView(ping.getId(), ping.isPoison(), ping.getCreatedAt(), ping.getAttempts(),
                    ping.getReceivedAt(), ping.getDeadLetteredAt());
        }
    }

    @Inject
    OperatorToken operator;

    @Inject
    Pings pings;

    @POST
    @Operation(summary = "Store a ping and send it through the broker (operator token)")
    public Response send(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                         @QueryParam("poison") boolean poison) {
        operator.require(authorization);
        return Response.accepted(PingView.of(pings.send(poison))).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A ping's progress (operator token)")
    public PingView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        operator.require(authorization);
        return PingView.of(pings.find(id));
    }
}
