package dev.pons.incontainer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The tests' own look at the database: plain SQL, each call a transaction of its own. */
@ApplicationScoped
public class Rows {

    @PersistenceContext
    EntityManager em;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<?> list(String sql, Object... parameters) {
        return query(sql, parameters).getResultList();
    }

    /** The single value the query selects, or null if it finds no row. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Object value(String sql, Object... parameters) {
        List<?> rows = query(sql, parameters).getResultList();
        return rows.isEmpty() ? null : rows.get(0);
    }

    public long number(String sql, Object... parameters) {
        return ((Number) value(sql, parameters)).longValue();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int update(String sql, Object... parameters) {
        return query(sql, parameters).executeUpdate();
    }

    /**
     * Runs {@code update} and keeps its transaction, with the row locks it took, open until
     * {@code release}: whoever writes those rows meanwhile waits, having read them already.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int holdLocked(String update, CountDownLatch locked, CountDownLatch release, Object... parameters)
            throws InterruptedException {
        int count = query(update, parameters).executeUpdate();
        locked.countDown();
        if (!release.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never released the row locks");
        }
        return count;
    }

    private Query query(String sql, Object... parameters) {
        Query query = em.createNativeQuery(sql);
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        return query;
    }
}
