package com.anythingagents.stripe.emulator;

import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the state file behind the requests instead of inside them. A change marks the state
 * dirty; one background thread snapshots it (under the store lock, so the snapshot is consistent)
 * and writes it (outside the lock). Saves are at least {@link #MIN_INTERVAL} apart and never take
 * more than about a tenth of the time, because a snapshot of many meter events costs tens of
 * milliseconds of lock time. {@link #close()} writes whatever is still pending, so nothing a
 * client saw acknowledged is lost at a clean shutdown.
 */
final class StateSaver implements AutoCloseable {

    static final Duration MIN_INTERVAL = Duration.ofMillis(250);
    private static final int MAX_SHARE_OF_TIME = 10;
    private static final Logger log = LoggerFactory.getLogger(StateSaver.class);

    private final Optional<StateFile> file;
    private final Store store;
    private final EmulatorClock clock;
    private final Object signal = new Object();
    private final Object writing = new Object();
    private final Thread thread;
    private boolean dirty;
    private boolean closed;

    StateSaver(Optional<StateFile> file, Store store, EmulatorClock clock) {
        this.file = file;
        this.store = store;
        this.clock = clock;
        this.thread = new Thread(this::run, "stripe-emulator-state-saver");
        thread.setDaemon(true);
        if (file.isPresent()) {
            thread.start();
        }
    }

    /** Called after every change (with or without the store lock held); cheap and never blocks on I/O. */
    void markDirty() {
        if (file.isEmpty()) {
            return;
        }
        synchronized (signal) {
            dirty = true;
            signal.notifyAll();
        }
    }

    /** Saves now if anything changed since the last save. */
    void flush() {
        if (file.isEmpty()) {
            return;
        }
        synchronized (writing) {
            byte[] snapshot = store.locked(() -> {
                synchronized (signal) {
                    if (!dirty) {
                        return null;
                    }
                    dirty = false;
                }
                return file.get().snapshot(store, clock);
            });
            if (snapshot != null) {
                file.get().write(snapshot);
            }
        }
    }

    private void run() {
        long pause = MIN_INTERVAL.toMillis();
        while (awaitDirty()) {
            try {
                Thread.sleep(pause); // coalesces the changes of the next moment into one write
                long started = System.nanoTime();
                flush();
                long tookMs = (System.nanoTime() - started) / 1_000_000;
                pause = Math.max(MIN_INTERVAL.toMillis(), tookMs * MAX_SHARE_OF_TIME);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("cannot save the emulator state; retrying on the next change", e);
                markDirty();
            }
        }
    }

    private boolean awaitDirty() {
        synchronized (signal) {
            while (!dirty && !closed) {
                try {
                    signal.wait();
                } catch (InterruptedException e) {
                    return false;
                }
            }
            return !closed;
        }
    }

    /** Stops the background thread and writes what is pending. Idempotent. */
    @Override
    public void close() {
        synchronized (signal) {
            closed = true;
            signal.notifyAll();
        }
        thread.interrupt();
        try {
            if (thread.isAlive()) {
                thread.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
