package dev.pons.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import dev.pons.platform.entity.Setting;

/** The encryption key used when none is configured: made once, shared by every instance via the database. */
@ApplicationScoped
public class DevelopmentKey {

    static final String NAME = "development-encryption-key";

    @PersistenceContext
    EntityManager em;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public String loadOrCreate() {
        Setting existing = em.find(Setting.class, NAME);
        if (existing != null) {
            return existing.getValue();
        }
        String key = SecretBox.newKeyBase64();
        // Two instances starting together: the loser's insert fails on the primary key and its
        // transaction rolls back; its next call reads the winner's key.
        em.persist(new Setting(NAME, key));
        em.flush();
        return key;
    }
}
