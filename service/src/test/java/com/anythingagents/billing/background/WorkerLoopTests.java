package com.anythingagents.billing.background;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The loop shape every background worker shares: stop, wake, errors and interrupts. */
class WorkerLoopTests {

    private static final Duration LONG = Duration.ofHours(1);

    private static final Duration BOUND = Duration.ofSeconds(20);

    @Test
    void stopAllSignalsEveryLoopBeforeWaitingForAny() {
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicInteger inside = new AtomicInteger();
        WorkerLoop[] loops = new WorkerLoop[2];
        // each iteration finishes only once both loops were told to stop: stopping them one by one
        // would wait for the first while the second was never signalled (until the stop timeout)
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new WorkerLoop(
                    "loop-test-" + i,
                    LONG,
                    () -> {
                        inside.incrementAndGet();
                        try {
                            await().atMost(BOUND).until(() -> !loops[0].running() && !loops[1].running());
                        } catch (RuntimeException ex) {
                            interrupted.set(Thread.currentThread().isInterrupted());
                        }
                        return false;
                    },
                    () -> {});
        }
        loops[0].start();
        loops[1].start();
        await().atMost(BOUND).until(() -> inside.get() == 2);

        WorkerLoop.stopAll(List.of(loops));

        assertThat(threads("loop-test-")).isEmpty();
        assertThat(interrupted).isFalse();
    }

    @Test
    void interruptFlagLeftByAnIterationIsClearedAndCountedNotSpunOn() {
        AtomicInteger iterations = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        WorkerLoop loop = new WorkerLoop(
                "loop-interrupt",
                LONG,
                () -> {
                    iterations.incrementAndGet();
                    Thread.currentThread().interrupt(); // e.g. a library that restores the flag it caught
                    return false;
                },
                errors::incrementAndGet);
        loop.start();
        try {
            // a set flag makes parkNanos return at once: the loop would run the iteration again and again
            await().atMost(BOUND)
                    .until(() -> threads("loop-interrupt").stream()
                            .anyMatch(t -> t.getState() == Thread.State.TIMED_WAITING));
            assertThat(iterations).hasValue(1);
            assertThat(errors).hasValue(1);

            loop.wake();
            await().atMost(BOUND).until(() -> iterations.get() == 2);
        } finally {
            loop.stop();
        }
    }

    @Test
    void iterationThatThrowsAnErrorIsCountedAndTheLoopGoesOn() {
        AtomicInteger iterations = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        WorkerLoop loop = new WorkerLoop(
                "loop-error",
                LONG,
                () -> {
                    if (iterations.incrementAndGet() == 1) {
                        throw new StackOverflowError("test");
                    }
                    return false;
                },
                errors::incrementAndGet);
        loop.start();
        try {
            await().atMost(BOUND).until(() -> iterations.get() == 1 && loop.idle());
            loop.wake();
            await().atMost(BOUND).until(() -> iterations.get() == 2);
            assertThat(errors).hasValue(1);
        } finally {
            loop.stop();
        }
    }

    @Test
    void loopRunsAgainAtOnceWhileThereIsMoreWork() {
        AtomicInteger iterations = new AtomicInteger();
        WorkerLoop loop = new WorkerLoop("loop-more", LONG, () -> iterations.incrementAndGet() < 3, () -> {});
        loop.start();
        try {
            await().atMost(BOUND).until(() -> iterations.get() == 3 && loop.idle());
        } finally {
            loop.stop();
        }
    }

    @Test
    void stopIsIdempotentAndWakeOnAStoppedLoopDoesNothing() {
        WorkerLoop loop = new WorkerLoop("loop-idle", LONG, () -> false, () -> {});
        loop.stop();
        loop.wake();
        loop.start();
        loop.stop();
        loop.stop();
        loop.wake();

        assertThat(loop.running()).isFalse();
        assertThat(threads("loop-idle")).isEmpty();
    }

    private static List<Thread> threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
                .toList();
    }
}
