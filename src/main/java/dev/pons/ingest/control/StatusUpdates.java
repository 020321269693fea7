package dev.pons.ingest.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/** Joins Meta's status webhooks up with the messages sent through our send API. */
@ApplicationScoped
public class StatusUpdates {

    @PersistenceContext
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(String accountId, String waMessageId, String status) {
        if (waMessageId == null || status == null) {
            return;
        }
        em.createNativeQuery("UPDATE outbound_message SET status = ?1, updated_at = ?2"
                        + " WHERE wa_message_id = ?3 AND account_id = ?4")
                .setParameter(1, status)
                .setParameter(2, System.currentTimeMillis())
                .setParameter(3, waMessageId)
                .setParameter(4, accountId)
                // Touches no table the ingest transaction writes through entities: no flush needed first.
                .setFlushMode(FlushModeType.COMMIT)
                .executeUpdate();
    }
}
