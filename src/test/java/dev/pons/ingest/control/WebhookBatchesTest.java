package dev.pons.ingest.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.pons.ingest.entity.MetaWebhookLog;
import dev.pons.platform.control.DomainException;

class WebhookBatchesTest {

    /** Stands in for the database: one list per transaction, bodies named by their text. */
    static class Database extends MetaWebhooks {

        final List<List<String>> transactions = Collections.synchronizedList(new ArrayList<>());
        final List<String> keptForLater = Collections.synchronizedList(new ArrayList<>());
        final Set<String> lost = new HashSet<>();
        volatile boolean down;

        @Override
        public List<String> receiveAll(List<byte[]> rawBodies) {
            List<String> names = rawBodies.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
            transactions.add(names);
            sleep(20);
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            if (names.contains("unparseable")) {
                throw new IllegalStateException("parser bug");
            }
            return names.stream().map(n -> "mwh_" + n).toList();
        }

        @Override
        public MetaWebhookLog storeForLater(byte[] rawBody) {
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            String name = new String(rawBody, StandardCharsets.UTF_8);
            keptForLater.add(name);
            return new MetaWebhookLog("mwh_" + name, 0, name);
        }

        @Override
        public Set<String> storedOf(List<String> logIds) {
            Set<String> found = new HashSet<>(logIds);
            found.removeAll(lost);
            return found;
        }
    }

    final Database database = new Database();
    final WebhookBatches batches = new WebhookBatches();

    WebhookBatchesTest() {
        batches.webhooks = database;
        batches.commits.runOn(Executors.newSingleThreadExecutor());
    }

    private List<CompletableFuture<String>> receiveAtOnce(String... names) {
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (String name : names) {
            results.add(batches.receive(name.getBytes(StandardCharsets.UTF_8)));
        }
        return results;
    }

    @Test
    void webhooksArrivingDuringACommitShareTheNextAndEachGetsItsOwnId() throws Exception {
        List<CompletableFuture<String>> results = receiveAtOnce("a", "b", "c", "d", "e", "f");
        for (int i = 0; i < results.size(); i++) {
            assertEquals("mwh_" + (char) ('a' + i), results.get(i).get(5, TimeUnit.SECONDS));
        }
        assertEquals(6, database.transactions.stream().mapToInt(List::size).sum(), "each stored once");
        assertTrue(database.transactions.size() < 6, "shared commits: " + database.transactions);
    }

    @Test
    void aBodyThatCannotBeProcessedIsKeptForLaterWithoutTakingTheOthersWithIt() throws Exception {
        List<CompletableFuture<String>> results = receiveAtOnce("a", "b", "unparseable", "c");
        assertEquals(List.of("mwh_a", "mwh_b", "mwh_unparseable", "mwh_c"),
                results.stream().map(r -> r.orTimeout(5, TimeUnit.SECONDS).join()).toList());
        assertEquals(List.of("unparseable"), database.keptForLater);
    }

    @Test
    void withTheDatabaseAwayEveryWebhookFailsWithItsCause() {
        database.down = true;
        List<CompletableFuture<String>> results = receiveAtOnce("a", "b", "c", "d");
        for (CompletableFuture<String> result : results) {
            var failure = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
            assertEquals("connection refused", failure.getCause().getMessage());
        }
        assertTrue(database.transactions.size() <= 3, "no transaction per webhook and retry: " + database.transactions);
    }

    @Test
    void aCommitThatDidNotReachTheDatabaseIsAnsweredAsUnavailable() throws Exception {
        database.lost.add("mwh_b");
        List<CompletableFuture<String>> results = receiveAtOnce("a", "b");
        assertEquals("mwh_a", results.get(0).get(5, TimeUnit.SECONDS));
        var failure = assertThrows(ExecutionException.class, () -> results.get(1).get(5, TimeUnit.SECONDS));
        DomainException unavailable = assertInstanceOf(DomainException.class, failure.getCause());
        assertSame(DomainException.Kind.UNAVAILABLE, unavailable.kind());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
