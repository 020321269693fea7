package dev.pons.targets.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.pons.platform.control.IdList;

/**
 * A target's health as its attempts report it, in the transaction that records them: consecutive
 * failures, last success and failure, the circuit, and the automatic disabling of a target that is
 * gone (410) or has failed for longer than {@code pons.delivery.disable-after}.
 *
 * <p>The circuit (src/docs/webhooks.md, "Success, retries and failing targets"): closed while attempts
 * succeed; open after {@link #OPEN_AFTER} consecutive failures, when {@code next_probe_at} says when
 * one delivery may go as a probe and the target's other deliveries wait in the database; a probe that
 * succeeds closes it. Whoever takes the probe moves {@code next_probe_at} to the end of the probe's
 * lease, so that exactly one probe is out at a time, cluster-wide.
 */
@ApplicationScoped
public class TargetHealth {

    /** Consecutive failures that open a target's circuit. */
    public static final int OPEN_AFTER = 3;

    /** A target's {@code lastSuccessAt} may lag by this much; it saves a row write per batch. */
    static final long LAST_SUCCESS_RESOLUTION_MS = 1_000;

    @PersistenceContext
    EntityManager em;

    @Inject
    @ConfigProperty(name = "pons.delivery.disable-after")
    Duration disableAfter;

    /**
     * Writes only when something changes: a healthy target's row is not rewritten by every success,
     * and one read tells which rows need it (the update re-checks, for other instances).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void succeeded(List<String> targetIds, long now) {
        long staleBefore = now - LAST_SUCCESS_RESOLUTION_MS;
        List<String> ids = IdList.padded(targetIds);
        // Plain SQL: this runs for every batch of outcomes, and JPQL with an id list is translated per call.
        var select = em.createNativeQuery("SELECT id FROM webhook_target WHERE id IN " + IdList.placeholders(ids.size())
                        + " AND (consecutive_failures <> 0 OR last_success_at IS NULL OR last_success_at < ?)")
                // The caller's attempts and deliveries are flushed at commit, once.
                .setFlushMode(FlushModeType.COMMIT);
        for (int i = 0; i < ids.size(); i++) {
            select.setParameter(i + 1, ids.get(i));
        }
        @SuppressWarnings("unchecked")
        List<String> stale = select.setParameter(ids.size() + 1, staleBefore).getResultList();
        for (String targetId : stale) {
            em.createNativeQuery("UPDATE webhook_target SET consecutive_failures = 0, failing_since = NULL,"
                            + " next_probe_at = NULL, last_success_at = ? WHERE id = ? AND (consecutive_failures <> 0"
                            + " OR last_success_at IS NULL OR last_success_at < ?)")
                    .setParameter(1, now)
                    .setParameter(2, targetId)
                    .setParameter(3, staleBefore)
                    .executeUpdate();
        }
    }

    /** A target's failures in a row, this one included, and its circuit's probe time (null: none set). */
    public record Failing(int consecutiveFailures, Long nextProbeAt) {
    }

    /** An attempt failed with {@code error}; {@code gone} (HTTP 410) disables the target at once. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Failing failed(String targetId, String error, long now, boolean gone) {
        em.createQuery("UPDATE WebhookTarget t SET t.consecutiveFailures = t.consecutiveFailures + 1,"
                        + " t.failingSince = COALESCE(t.failingSince, :now), t.lastFailureAt = :now,"
                        + " t.lastError = :error WHERE t.id = :id")
                .setParameter("now", now)
                .setParameter("error", error)
                .setParameter("id", targetId)
                .executeUpdate();
        if (gone) {
            disable(targetId, "disabled because the endpoint answered 410 Gone", "");
        } else {
            disable(targetId, "disabled automatically: every attempt failed for longer than " + disableAfter,
                    " AND t.failingSince < " + (now - disableAfter.toMillis()));
        }
        Object[] row = em.createQuery("SELECT t.consecutiveFailures, t.nextProbeAt FROM WebhookTarget t WHERE t.id = :id",
                        Object[].class)
                .setParameter("id", targetId)
                .setFlushMode(FlushModeType.COMMIT)
                .getSingleResult();
        return new Failing(((Number) row[0]).intValue(), (Long) row[1]);
    }

    /** Opens the circuit, or keeps it open: no probe starts before {@code at}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void probeNotBefore(String targetId, long at) {
        em.createQuery("UPDATE WebhookTarget t SET t.nextProbeAt = :at WHERE t.id = :id AND t.consecutiveFailures >= "
                        + OPEN_AFTER)
                .setParameter("at", at)
                .setParameter("id", targetId)
                .executeUpdate();
    }

    /**
     * Takes the probe of an open circuit whose probe time ({@code seen}) has come, holding it until the
     * probe's lease ends. True for exactly one caller, whichever instance it runs on.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean takeProbe(String targetId, long seen, long leaseUntil) {
        return em.createQuery("UPDATE WebhookTarget t SET t.nextProbeAt = :until WHERE t.id = :id"
                        + " AND t.nextProbeAt = :seen")
                .setParameter("until", leaseUntil)
                .setParameter("id", targetId)
                .setParameter("seen", seen)
                .executeUpdate() == 1;
    }

    private void disable(String targetId, String reason, String condition) {
        em.createQuery("UPDATE WebhookTarget t SET t.enabled = FALSE, t.disabledReason = :reason WHERE t.id = :id"
                        + " AND t.enabled = TRUE" + condition)
                .setParameter("reason", reason)
                .setParameter("id", targetId)
                .executeUpdate();
    }
}
