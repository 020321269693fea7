package dev.pons.targets.control;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Host name lookups with a deadline, on threads of their own. The JDK's lookup cannot be interrupted and
 * waits as long as the operating system's resolver does, so it runs on this bounded pool while the caller
 * waits at most {@code timeout}: a DNS server that hangs costs the deliveries to the names it serves,
 * never a JMS listener or request thread. Concurrent lookups of one name share one pool thread, so a
 * hanging name holds a single thread however many deliveries wait for it.
 */
public final class HostLookups {

    /** Enough for bursts of cold names; beyond it a lookup is refused at once rather than queued without end. */
    static final int QUEUE = 1024;

    private final Function<String, InetAddress[]> resolver;
    private final long timeoutMs;
    private final ThreadPoolExecutor threads;
    private final Map<String, CompletableFuture<InetAddress[]>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param resolver the lookup itself, as {@link TargetUrlPolicy#systemResolver()}
     * @param threads  how many lookups run at once
     */
    public HostLookups(Function<String, InetAddress[]> resolver, int threads, Duration timeout,
            ThreadFactory threadFactory) {
        if (threads < 1 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("host lookups need at least one thread and a positive timeout: "
                    + threads + " threads, timeout " + timeout);
        }
        this.resolver = resolver;
        this.timeoutMs = timeout.toMillis();
        this.threads = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), threadFactory);
        this.threads.allowCoreThreadTimeOut(true);
    }

    /**
     * The addresses of a host; throws {@link UncheckedIOException} when there are none: wrapping an
     * {@link UnknownHostException} when the name does not resolve, an {@link InterruptedIOException}
     * when no answer came in time or the lookups are saturated.
     */
    public InetAddress[] lookUp(String host) {
        CompletableFuture<InetAddress[]> lookup;
        try {
            lookup = inFlight.computeIfAbsent(host, this::start);
        } catch (RejectedExecutionException full) {
            throw new UncheckedIOException(new InterruptedIOException("too many host lookups in progress"));
        }
        // Forgotten once answered, so the next delivery asks again (the JDK caches answers by its own rules).
        // Registered out here: inside computeIfAbsent, an answer already in would remove from within the compute.
        CompletableFuture<InetAddress[]> asked = lookup;
        lookup.whenComplete((addresses, failure) -> inFlight.remove(host, asked));
        try {
            return lookup.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new UncheckedIOException(new InterruptedIOException("no answer within " + timeoutMs + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted"));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException unresolved) {
                throw unresolved;
            }
            if (e.getCause() instanceof RuntimeException failed) {
                throw failed;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            if (lookup.isDone()) {
                // The waiter may wake before the removal above has run: the next one asks anew all the same.
                inFlight.remove(host, lookup);
            }
        }
    }

    private CompletableFuture<InetAddress[]> start(String host) {
        return CompletableFuture.supplyAsync(() -> resolver.apply(host), threads);
    }

    public void close() {
        threads.shutdownNow();
    }
}
