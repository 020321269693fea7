package dev.pons.platform.control;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * One writer that commits whatever has been queued, in batches, again and again while more arrives.
 * Every commit costs the database a sync and a rewrite of each page it touched; work that arrives
 * together shares them. The writer runs only while there is work, on the executor {@link #runOn} gives.
 *
 * @param <E> a queued item; {@code write} must settle each item of its batch, {@code refuse} one the
 *            executor would not run (shutting down)
 */
public final class GroupCommit<E> {

    private volatile Executor executor;
    private final int maxItems;
    private final ToIntFunction<E> size;
    private final long maxSize;
    private final Consumer<List<E>> write;
    private final BiConsumer<E, RuntimeException> refuse;

    private final ConcurrentLinkedQueue<E> queued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    /**
     * A batch takes up to {@code maxItems}, and stops early once the sizes of its items reach
     * {@code maxSize} (an item larger than that goes alone).
     */
    public GroupCommit(int maxItems, ToIntFunction<E> size, long maxSize, Consumer<List<E>> write,
                       BiConsumer<E, RuntimeException> refuse) {
        this.maxItems = maxItems;
        this.size = size;
        this.maxSize = maxSize;
        this.write = write;
        this.refuse = refuse;
    }

    /**
     * Where the writer runs: a thread of its own, never a pool shared with the callers. Callers may wait
     * for it, and on a shared pool they can hold every thread while the writer's task waits behind them
     * (the outcome writer and the delivery listeners share the server's default executor).
     */
    public void runOn(Executor writer) {
        this.executor = writer;
    }

    /** Shuts the writer's executor down; what is queued after that is refused. */
    public void stop() {
        if (executor instanceof ExecutorService service) {
            service.shutdown();
        }
    }

    public void add(E item) {
        queued.add(item);
        startWriter();
    }

    private void startWriter() {
        if (queued.isEmpty() || !writing.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::writeWhileQueued);
        } catch (RuntimeException refused) {
            writing.set(false);
            for (E item; (item = queued.poll()) != null; ) {
                refuse.accept(item, refused);
            }
        }
    }

    private void writeWhileQueued() {
        try {
            List<E> batch;
            while (!(batch = nextBatch()).isEmpty()) {
                write.accept(batch);
            }
        } finally {
            writing.set(false);
            // An item queued between the last poll and the reset above would otherwise wait for the next one.
            startWriter();
        }
    }

    private List<E> nextBatch() {
        List<E> batch = new ArrayList<>();
        long total = 0;
        while (batch.size() < maxItems && total < maxSize) {
            E next = queued.peek();
            if (next == null) {
                break;
            }
            int itemSize = size.applyAsInt(next);
            if (!batch.isEmpty() && total + itemSize > maxSize) {
                break;
            }
            batch.add(queued.poll());
            total += itemSize;
        }
        return batch;
    }
}
