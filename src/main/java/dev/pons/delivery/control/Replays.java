package dev.pons.delivery.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.pons.delivery.entity.DeliveryStatus;
import dev.pons.platform.control.DomainException;
import dev.pons.platform.control.OneAtATime;
import dev.pons.targets.entity.WebhookTarget;

/**
 * Replays, bounded as a tenant's fair share: at most {@code pons.limits.replayed-per-call} deliveries
 * per call and one replay of a target at a time (per instance); a second is refused, not queued.
 */
@ApplicationScoped
public class Replays {

    private final OneAtATime running = new OneAtATime();

    @Inject
    Deliveries deliveries;

    @Inject
    @ConfigProperty(name = "pons.limits.replayed-per-call")
    int maxReplayed;

    /** Restarts what matches in a transaction of its own, the guard held until it committed. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public int replay(WebhookTarget target, long since, Long until, DeliveryStatus status) {
        return running.run(target.getId(), () -> deliveries.replay(target, since, until, status, maxReplayed),
                () -> DomainException.tooMany("a replay of this target is already running",
                        List.of("replay: one at a time per target; try again once it has answered")));
    }
}
