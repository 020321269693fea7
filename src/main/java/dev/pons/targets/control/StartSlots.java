package dev.pons.targets.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.NoResultException;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * A rate-limited target's budget in the database ({@code webhook_target.rate_next_slot_us}): start
 * slots one spacing apart, handed out in order to whichever instance asks. The column holds the first
 * slot nobody has reserved yet; it never lags behind the present, so a target idle for a while gets no
 * burst of saved-up slots.
 */
@ApplicationScoped
public class StartSlots {

    @PersistenceContext
    EntityManager em;

    /**
     * Reserves {@code count} slots {@code spacingUs} apart, the first at {@code nowUs} or at the first
     * one nobody holds yet, whichever is later, and returns the first; null, reserving nothing, when
     * that first slot would come after {@code latestUs} (the budget is taken that far ahead). The update
     * locks the target's row, so instances reserving at once queue up behind each other and get slots
     * that never overlap.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Long reserve(String targetId, int count, long spacingUs, long nowUs, long latestUs) {
        long span = count * spacingUs;
        int reserved = em.createNativeQuery("UPDATE webhook_target SET rate_next_slot_us = GREATEST(COALESCE(rate_next_slot_us, 0), ?) + ?"
                        + " WHERE id = ? AND GREATEST(COALESCE(rate_next_slot_us, 0), ?) <= ?")
                .setParameter(1, nowUs)
                .setParameter(2, span)
                .setParameter(3, targetId)
                .setParameter(4, nowUs)
                .setParameter(5, latestUs)
                .executeUpdate();
        if (reserved == 0) {
            return null;
        }
        try {
            Number next = (Number) em.createNativeQuery("SELECT rate_next_slot_us FROM webhook_target WHERE id = ?")
                    .setParameter(1, targetId)
                    .getSingleResult();
            return next.longValue() - span;
        } catch (NoResultException deleted) {
            return null;
        }
    }
}
