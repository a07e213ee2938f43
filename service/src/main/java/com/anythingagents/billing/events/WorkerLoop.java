package com.anythingagents.billing.events;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one shape of background work here (after db-scheduler): a thread runs {@code iteration}
 * again at once while it reports more work, else sleeps until {@link #wake()} or the interval.
 * Any Throwable of an iteration is counted and logged, and the loop goes on; {@link #stop()} lets
 * the current iteration finish (no interrupt mid-transaction) and is idempotent.
 */
final class WorkerLoop {

    private static final Logger log = LoggerFactory.getLogger(WorkerLoop.class);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String name;

    private final Duration interval;

    private final BooleanSupplier iteration;

    private final Runnable onError;

    private volatile boolean stopping;

    private Thread thread;

    /** @param iteration does one unit of work and says whether more is waiting */
    WorkerLoop(String name, Duration interval, BooleanSupplier iteration, Runnable onError) {
        this.name = name;
        this.interval = interval;
        this.iteration = iteration;
        this.onError = onError;
    }

    synchronized void start() {
        if (thread != null) {
            return;
        }
        stopping = false;
        thread = new Thread(this::run, name);
        thread.start();
    }

    /** New work arrived: run now instead of at the next interval (a no-op when stopped). */
    void wake() {
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    synchronized void stop() {
        if (thread == null) {
            return;
        }
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("{} did not stop within {}", name, STOP_TIMEOUT);
        }
        thread = null;
    }

    boolean running() {
        return thread != null;
    }

    private void run() {
        while (!stopping) {
            boolean more = false;
            try {
                more = iteration.getAsBoolean();
            } catch (Throwable ex) { // NOPMD: a worker that dies silently is worse than one that logs and goes on
                onError.run();
                log.error("{} iteration failed; retrying after {}", name, interval, ex);
            }
            if (!more && !stopping) {
                // unpark() before park() leaves a permit, so a wake() between the two is never lost
                LockSupport.parkNanos(this, interval.toNanos());
            }
        }
    }
}
