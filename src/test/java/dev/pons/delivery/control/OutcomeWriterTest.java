package dev.pons.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutcomeWriterTest {

    /** Stands in for the database: remembers each transaction's batch and answers per entry. */
    static class Transactions extends Outcomes {

        static final String REFUSED_TEXT = "text the database refuses";

        final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        final List<OutputEntry> stored = Collections.synchronizedList(new ArrayList<>());
        volatile long commitMillis = 20;

        @Override
        public List<Recorded> recordAll(List<OutcomeWriter.Entry> entries) {
            List<String> ids = entries.stream().map(e -> e.claim().deliveryId()).toList();
            batches.add(ids);
            if (ids.size() > 1 && ids.contains("bad")) {
                throw new IllegalStateException("constraint violated");
            }
            if (ids.equals(List.of("bad"))) {
                throw new IllegalStateException("bad alone");
            }
            if (entries.stream().anyMatch(e -> REFUSED_TEXT.equals(e.outcome().responseSnippet())
                    || REFUSED_TEXT.equals(e.outcome().error()))) {
                throw new IllegalStateException("text refused");
            }
            stored.addAll(entries.stream().map(OutputEntry::of).toList());
            sleep(commitMillis);
            return entries.stream().map(e -> new Recorded(e.outcome().startedAt(), null, false)).toList();
        }
    }

    /** What a transaction that committed wrote of an outcome. */
    record OutputEntry(String deliveryId, Integer statusCode, String error, String responseSnippet) {
        static OutputEntry of(OutcomeWriter.Entry entry) {
            return new OutputEntry(entry.claim().deliveryId(), entry.outcome().statusCode(), entry.outcome().error(),
                    entry.outcome().responseSnippet());
        }
    }

    final Transactions database = new Transactions();
    final OutcomeWriter outcomes = new OutcomeWriter();
    final ExecutorService workers = Executors.newFixedThreadPool(16);

    OutcomeWriterTest() {
        database.clock = Clock.systemUTC();
        outcomes.outcomes = database;
        outcomes.commits.runOn(Executors.newSingleThreadExecutor());
    }

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    @Test
    void outcomesQueuedWhileOneCommitRunsShareTheNextAndEachGetsItsOwnResult() throws Exception {
        int callers = 16;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Outcomes.Recorded>> results = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            long marker = 1000 + i;
            results.add(workers.submit(() -> {
                start.await();
                return outcomes.record(claim("dlv_" + marker), outcome(marker)).toCompletableFuture().get();
            }));
        }
        start.countDown();
        for (int i = 0; i < callers; i++) {
            assertEquals(1000L + i, results.get(i).get(5, TimeUnit.SECONDS).nextAttemptAt());
        }
        int recorded = database.batches.stream().mapToInt(List::size).sum();
        assertEquals(callers, recorded, "every outcome written exactly once");
        assertTrue(database.batches.size() < callers, "callers waiting meanwhile share a commit: " + database.batches);
    }

    @Test
    void oneBadOutcomeDoesNotTakeTheOthersWithIt() throws Exception {
        database.commitMillis = 50;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Outcomes.Recorded>> good = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long marker = i;
            good.add(workers.submit(() -> {
                start.await();
                return outcomes.record(claim("dlv_" + marker), outcome(marker)).toCompletableFuture().get();
            }));
        }
        Future<Outcomes.Recorded> bad = workers.submit(() -> {
            start.await();
            return outcomes.record(claim("bad"), outcome(99)).toCompletableFuture().join();
        });
        start.countDown();
        for (int i = 0; i < 6; i++) {
            assertEquals((long) i, good.get(i).get(5, TimeUnit.SECONDS).nextAttemptAt());
        }
        var failure = assertThrows(java.util.concurrent.ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
        assertSame(IllegalStateException.class, failure.getCause().getCause().getClass());
    }

    @Test
    void anOutcomeTheDatabaseRefusesInFullIsRecordedWithoutItsTextAndTheOthersInFull() throws Exception {
        database.commitMillis = 50;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Outcomes.Recorded>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long marker = i;
            results.add(workers.submit(() -> {
                start.await();
                return outcomes.record(claim("dlv_" + marker), outcome(marker)).toCompletableFuture().get();
            }));
        }
        Outcome refusedSnippet = new Outcome(7, 1, 500, null, Transactions.REFUSED_TEXT, null);
        Outcome refusedError = new Outcome(8, 1, null, Transactions.REFUSED_TEXT, null, null);
        results.add(workers.submit(() -> {
            start.await();
            return outcomes.record(claim("dlv_snippet"), refusedSnippet).toCompletableFuture().get();
        }));
        results.add(workers.submit(() -> {
            start.await();
            return outcomes.record(claim("dlv_error"), refusedError).toCompletableFuture().get();
        }));
        start.countDown();
        for (Future<Outcomes.Recorded> result : results) {
            result.get(5, TimeUnit.SECONDS);
        }
        assertEquals(6, database.stored.size(), "every outcome recorded once: " + database.stored);
        assertTrue(database.stored.contains(new OutputEntry("dlv_snippet", 500, null, null)), database.stored.toString());
        assertTrue(database.stored.contains(new OutputEntry("dlv_error", null, Outcome.NOT_STORED, null)),
                database.stored.toString());
        assertTrue(database.stored.contains(new OutputEntry("dlv_0", 200, null, "")), database.stored.toString());
    }

    private static Claim claim(String deliveryId) {
        return new Claim(deliveryId, 1, 1, 1, "evt_1", "message.inbound.received", new byte[0], "acc_1", "whk_1",
                java.net.URI.create("http://127.0.0.1:1/"), 1000, "whsec_x", null, Map.of(), 1000, 10_000, false, false, null, false, null);
    }

    private static Outcome outcome(long marker) {
        return new Outcome(marker, 1, 200, null, "", null);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
