package dev.pons.delivery.control;

import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.function.Supplier;

/**
 * Work a transaction collects as it goes and hands on once it has ended: leases to queue, lines to give a
 * head, parked deliveries to signal; or, just before it commits, the rows it created. One collector of each
 * kind per transaction.
 */
final class AfterCommit {

    private AfterCommit() {
    }

    /** The current transaction's collector of this kind, made and registered the first time it is asked for. */
    static <T extends Synchronization> T collector(TransactionSynchronizationRegistry transactions, Class<T> kind,
                                                   Supplier<T> make) {
        T collector = kind.cast(transactions.getResource(kind));
        if (collector == null) {
            collector = make.get();
            transactions.putResource(kind, collector);
            transactions.registerInterposedSynchronization(collector);
        }
        return collector;
    }
}
