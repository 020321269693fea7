package dev.pons.events.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.StringReader;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.accounts.control.Accounts;
import dev.pons.accounts.entity.Account;
import dev.pons.events.control.Events;
import dev.pons.events.entity.Event;
import dev.pons.platform.boundary.Page;
import dev.pons.platform.control.Limits;

@Path("v1/accounts/{accountId}/events")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Tag(name = "Events")
public class EventsResource {

    @Inject
    Accounts accounts;

    @Inject
    Events events;

    @GET
    @Operation(summary = "The account's events, newest first; filter by type")
    public Page<JsonObject> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                 @PathParam("accountId") String accountId, @QueryParam("type") String type,
                                 @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Account account = accounts.authorize(authorization, accountId);
        int size = Limits.pageSize(limit);
        List<Event> rows = events.list(account, type == null || type.isEmpty() ? null : type, size + 1, cursor);
        return Page.of(rows, size, Event::getId, EventsResource::view);
    }

    @GET
    @Path("{eventId}")
    @Operation(summary = "One event: the envelope every target receives, and when it was stored")
    public JsonObject get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @PathParam("accountId") String accountId, @PathParam("eventId") String eventId) {
        return view(events.find(accounts.authorize(authorization, accountId), eventId));
    }

    /** The stored envelope as sent, plus when Pons stored it. */
    static JsonObject view(Event event) {
        JsonObject envelope = Json.createReader(new StringReader(event.getBody())).readObject();
        return Json.createObjectBuilder(envelope).add("createdAt", event.getCreatedAt()).build();
    }
}
