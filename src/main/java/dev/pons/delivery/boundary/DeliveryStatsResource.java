package dev.pons.delivery.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.pons.accounts.control.Accounts;
import dev.pons.accounts.entity.Account;
import dev.pons.delivery.control.Stats;
import dev.pons.targets.control.Targets;

/** A target's last 24 hours of attempts, the dashboard's chart. */
@Path("v1/accounts/{accountId}/webhook-targets/{targetId}/stats")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Transactional
@Tag(name = "Deliveries")
public class DeliveryStatsResource {

    @Inject
    Accounts accounts;

    @Inject
    Targets targets;

    @Inject
    Stats stats;

    public record StatsView(List<Stats.Hour> hours) {
    }

    @GET
    @Operation(summary = "Attempts of the last 24 hours by hour: succeeded, failed, p95 latency")
    public StatsView stats(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @PathParam("accountId") String accountId, @PathParam("targetId") String targetId) {
        Account account = accounts.authorize(authorization, accountId);
        return new StatsView(stats.lastDay(targets.find(account, targetId).getId()));
    }
}
