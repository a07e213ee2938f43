package com.anythingagents.billing.background;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one shape of background work here (after db-scheduler): a thread runs {@code iteration}
 * again at once while it reports more work, else sleeps until {@link #wake()} or the interval.
 * Any Throwable of an iteration is counted and logged, and the loop goes on. {@link #stop()} lets
 * the current iteration finish (no interrupt mid-transaction) and is idempotent; only a loop that
 * does not finish within the stop timeout is interrupted, so an interrupt is expected on shutdown
 * only. An interrupt flag left set by an iteration is cleared (and counted), never spun on.
 */
public final class WorkerLoop {

    private static final Logger log = LoggerFactory.getLogger(WorkerLoop.class);

    /** How long {@link #stopAll} waits for running iterations before it interrupts them. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(5);

    private final String name;

    private final Duration interval;

    private final BooleanSupplier iteration;

    private final Runnable onError;

    private volatile boolean idle;

    // set by wake(), cleared before each iteration: a permit of unpark() alone could be consumed by
    // any park inside the iteration (a pool, a lock, a log appender) and the wake would be lost
    private final AtomicBoolean wakeRequested = new AtomicBoolean();

    // the running thread, read by wake() and by the thread itself on every turn; a loop thread
    // runs while it is this one, so a stop (null) or a restart (another thread) ends it
    private volatile Thread thread;

    /**
     * @param iteration does one unit of work and says whether more is waiting
     * @param onError called once per iteration that threw (e.g. to count it in a metric)
     */
    public WorkerLoop(String name, Duration interval, BooleanSupplier iteration, Runnable onError) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive (got " + interval + ")");
        }
        this.name = name;
        this.interval = interval;
        this.iteration = iteration;
        this.onError = onError;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        Thread started = new Thread(this::run, name);
        thread = started;
        started.start();
    }

    /** New work arrived: run now instead of at the next interval (a no-op when stopped). */
    public void wake() {
        wakeRequested.set(true);
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    /** Whether the loop is parked, waiting for work (false while an iteration runs or when stopped). */
    public boolean idle() {
        return thread != null && idle;
    }

    public boolean running() {
        return thread != null;
    }

    /** Stops this loop; see {@link #stopAll}. */
    public void stop() {
        stopAll(List.of(this));
    }

    /**
     * Signals every loop first and then waits for them together, so N loops stop in the time of
     * the slowest iteration rather than the sum. Loops still running after {@link #STOP_TIMEOUT}
     * are interrupted (the only expected interrupt) and given a short grace period.
     */
    public static void stopAll(Collection<WorkerLoop> loops) {
        List<Thread> threads = loops.stream()
                .map(WorkerLoop::signalStop)
                .filter(t -> t != null)
                .toList();
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (Thread t : threads) {
            if (!join(t, deadline)) {
                log.warn("{} did not stop within {}; interrupting it", t.getName(), STOP_TIMEOUT);
                t.interrupt();
                if (!join(t, System.nanoTime() + INTERRUPT_GRACE.toNanos())) {
                    log.error("{} is still running after an interrupt", t.getName());
                }
            }
        }
    }

    private synchronized Thread signalStop() {
        Thread current = thread;
        if (current == null) {
            return null;
        }
        thread = null;
        LockSupport.unpark(current);
        return current;
    }

    /** @return whether the thread ended before the deadline */
    private static boolean join(Thread t, long deadlineNanos) {
        try {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining > 0) {
                t.join(Math.max(1, remaining / 1_000_000));
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    private void run() {
        Thread me = Thread.currentThread();
        while (thread == me) {
            // cleared before the work: a wake() from here on finds the loop busy and runs it again
            wakeRequested.set(false);
            boolean more = false;
            try {
                more = iteration.getAsBoolean();
            } catch (Throwable ex) { // NOPMD: a worker that dies silently is worse than one that logs and goes on
                onError.run();
                log.error("{} iteration failed; retrying after {}", name, interval, ex);
            }
            clearInterrupt(me);
            if (!more) {
                awaitWork(me);
            }
        }
    }

    /** Sleeps until {@link #wake()}, the interval or a stop. */
    private void awaitWork(Thread me) {
        idle = true;
        long deadline = System.nanoTime() + interval.toNanos();
        long remaining = interval.toNanos();
        while (remaining > 0 && !wakeRequested.get() && thread == me) {
            LockSupport.parkNanos(this, remaining);
            clearInterrupt(me);
            remaining = deadline - System.nanoTime();
        }
        idle = false;
    }

    // parkNanos returns at once while the flag is set: clear it, or the loop would spin. Expected
    // only when stopAll interrupts a loop that outlived the stop timeout.
    private void clearInterrupt(Thread me) {
        if (Thread.interrupted() && thread == me) {
            onError.run();
            log.warn("{} was interrupted outside shutdown; the interrupt is ignored", name);
        }
    }
}
