package dev.pons.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import org.junit.jupiter.api.Test;

class GroupCommitTest {

    final List<List<Integer>> batches = new ArrayList<>();
    final List<Runnable> writerRuns = new ArrayList<>();

    /** The writer runs only when the test says so, to see what it finds queued. */
    final GroupCommit<Integer> commits = new GroupCommit<>(3, size -> size, 100, batches::add, (item, refused) -> { });

    GroupCommitTest() {
        commits.runOn(writerRuns::add);
    }

    @Test
    void aBatchStopsAtItsCountOrItsSizeAndALargeItemGoesAlone() {
        for (int size : new int[] {10, 20, 30, 40, 90, 5, 150, 1}) {
            commits.add(size);
        }
        assertEquals(1, writerRuns.size(), "one writer, however much is queued");
        writerRuns.get(0).run();
        assertEquals(List.of(List.of(10, 20, 30), List.of(40), List.of(90, 5), List.of(150), List.of(1)), batches);
    }

    @Test
    void whatIsQueuedWhenTheExecutorRefusesIsRefusedNotLeftBehind() {
        List<Integer> refused = new ArrayList<>();
        RejectedExecutionException shutDown = new RejectedExecutionException("shut down");
        GroupCommit<Integer> closing = new GroupCommit<>(10, size -> 1, 10, batches::add, (item, why) -> {
            assertSame(shutDown, why);
            refused.add(item);
        });
        closing.runOn(task -> {
            throw shutDown;
        });
        closing.add(7);
        closing.add(8);
        assertEquals(List.of(7, 8), refused);
        assertEquals(List.of(), batches);
    }
}
