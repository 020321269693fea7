package dev.pons.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/** One page of a re-seal, in a transaction of its own: a long re-seal holds no lock for long. */
@ApplicationScoped
public class SealedRows {

    /** What a page came to; {@code lastId} is where the next page starts, null after the last. */
    public record Page(String lastId, int resealed, int current, List<String> failed) {
    }

    @PersistenceContext
    EntityManager em;

    @Inject
    Secrets secrets;

    /**
     * Re-seals with the current key the values of the rows after {@code afterId}. A row changed meanwhile
     * is left as it is: whatever wrote it sealed with the current key already.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    @SuppressWarnings("unchecked")
    public Page reseal(SealedColumn column, String afterId, int size) {
        // Identifiers come from the components' SealedColumn constants, never from a request.
        List<Object[]> rows = em.createNativeQuery("SELECT " + column.idColumn() + ", " + column.column() + " FROM "
                        + column.table() + " WHERE " + column.column() + " IS NOT NULL AND " + column.idColumn()
                        + " > ? ORDER BY " + column.idColumn())
                .setParameter(1, afterId)
                .setMaxResults(size)
                .getResultList();
        int resealed = 0;
        int current = 0;
        List<String> failed = new ArrayList<>();
        for (Object[] row : rows) {
            String id = (String) row[0];
            String sealed = (String) row[1];
            if (secrets.isCurrent(sealed)) {
                current++;
                continue;
            }
            String plaintext;
            try {
                plaintext = secrets.open(sealed, column, id);
            } catch (IllegalStateException unopenable) {
                failed.add(column.binding(id) + ": " + unopenable.getMessage());
                continue;
            }
            int updated = em.createNativeQuery("UPDATE " + column.table() + " SET " + column.column() + " = ? WHERE "
                            + column.idColumn() + " = ? AND " + column.column() + " = ?")
                    .setParameter(1, secrets.seal(plaintext, column, id))
                    .setParameter(2, id)
                    .setParameter(3, sealed)
                    .executeUpdate();
            if (updated == 1) {
                resealed++;
            } else {
                current++;
            }
        }
        String lastId = rows.size() < size ? null : (String) rows.get(rows.size() - 1)[0];
        return new Page(lastId, resealed, current, failed);
    }
}
