package dev.pons.targets.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostLookupsTest {

    private static final ThreadFactory DAEMONS = runnable -> {
        Thread thread = new Thread(runnable, "lookup-test");
        thread.setDaemon(true);
        return thread;
    };

    private final CountDownLatch dnsAnswers = new CountDownLatch(1);
    private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    private HostLookups lookups;

    /** hang.test waits for the test to let it go, as a DNS server that never answers; ok.test answers at once. */
    private InetAddress[] dns(String host) {
        asked.computeIfAbsent(host, name -> new AtomicInteger()).incrementAndGet();
        try {
            if (host.equals("hang.test")) {
                dnsAnswers.await();
            }
            if (host.equals("ok.test") || host.equals("hang.test")) {
                return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34})};
            }
            throw new UncheckedIOException(new UnknownHostException(host));
        } catch (InterruptedException | UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void release() {
        dnsAnswers.countDown();
        lookups.close();
    }

    @Test
    void aHangingNameCostsOnlyItsOwnLookupsAndHoldsOneThread() {
        lookups = new HostLookups(this::dns, 2, Duration.ofMillis(300), DAEMONS);

        long start = System.nanoTime();
        UncheckedIOException late = assertThrows(UncheckedIOException.class, () -> lookups.lookUp("hang.test"));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertInstanceOf(InterruptedIOException.class, late.getCause());
        assertEquals("no answer within 300 ms", late.getCause().getMessage());
        assertTrue(waitedMs >= 250 && waitedMs < 3_000, "waited " + waitedMs + " ms");

        // Asked again while the first lookup still hangs: it waits for that one instead of taking a thread.
        assertThrows(UncheckedIOException.class, () -> lookups.lookUp("hang.test"));
        assertEquals(1, asked.get("hang.test").get());
        for (int i = 0; i < 5; i++) {
            long before = System.nanoTime();
            assertEquals("93.184.216.34", lookups.lookUp("ok.test")[0].getHostAddress());
            assertTrue((System.nanoTime() - before) / 1_000_000 < 250, "another name is not held up");
        }
    }

    @Test
    void answersAndFailuresComeThroughAndAreNotKept() throws Exception {
        lookups = new HostLookups(this::dns, 1, Duration.ofSeconds(5), DAEMONS);
        assertArrayEquals(dns("ok.test"), lookups.lookUp("ok.test"));
        UncheckedIOException unknown = assertThrows(UncheckedIOException.class, () -> lookups.lookUp("nowhere.test"));
        assertInstanceOf(UnknownHostException.class, unknown.getCause());

        lookups.lookUp("ok.test");
        assertEquals(3, asked.get("ok.test").get(), "each lookup after an answer asks again");

        dnsAnswers.countDown();
        assertEquals(1, lookups.lookUp("hang.test").length);
    }

    @Test
    void refusesNonsenseSettings() {
        lookups = new HostLookups(this::dns, 1, Duration.ofSeconds(1), DAEMONS);
        assertThrows(IllegalArgumentException.class, () -> new HostLookups(this::dns, 0, Duration.ofSeconds(1), DAEMONS));
        assertThrows(IllegalArgumentException.class, () -> new HostLookups(this::dns, 1, Duration.ZERO, DAEMONS));
    }
}
