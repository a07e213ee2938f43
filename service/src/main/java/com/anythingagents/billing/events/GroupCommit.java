package com.anythingagents.billing.events;

import com.anythingagents.billing.background.WorkerLoop;
import com.anythingagents.billing.events.store.StripeEventStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.stereotype.Component;

/**
 * Group commit for incoming events: concurrent deliveries hand their event to one writer thread,
 * which inserts everything waiting in one statement and one commit, and only then answers each
 * delivery. On a durable database every commit waits for the disk (fdatasync, ~3 ms on the bench
 * box) and costs PostgreSQL CPU of its own; sharing it is what lets the intake outpace a commit per
 * request. Alone, an event is written at once: it waits only for a commit already in flight.
 */
@Component
class GroupCommit implements SmartLifecycle {

    static final int MAX_BATCH = 128;

    /** Stripe events are a few KiB: this bounds a statement only when large ones arrive together. */
    static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;

    /** Far more than Tomcat's request threads: a full queue means the writer is stuck, not busy. */
    private static final int QUEUE_CAPACITY = 4096;

    /** Past this the delivery answers 503; if its row commits later, Stripe's retry is a duplicate. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final StripeEventStore store;

    private final Clock clock;

    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);

    private final WorkerLoop writer;

    private volatile boolean accepting;

    GroupCommit(StripeEventStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.writer = new WorkerLoop("stripe-events-intake", Duration.ofSeconds(1), this::writeWaiting, () -> {});
    }

    /**
     * Stores the event; returns once the statement that stored it (or found it stored) has
     * committed. Without a running writer (manual mode, shutdown) the caller writes it itself.
     * @return whether it was new
     */
    boolean store(ReceivedEvent event) {
        if (!accepting) {
            return !store.insertAll(List.of(event), clock.instant()).isEmpty();
        }
        Pending pending = new Pending(event, new CompletableFuture<>());
        if (!queue.offer(pending)) {
            throw new DataAccessResourceFailureException("The event intake is not keeping up; try again");
        }
        writer.wake();
        try {
            return pending.inserted().get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException ex) {
            throw ex.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(ex.getCause());
        } catch (TimeoutException ex) {
            throw new QueryTimeoutException("The event was not stored within " + MAX_WAIT);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new DataAccessResourceFailureException("Interrupted while the event was being stored");
        }
    }

    private boolean writeWaiting() {
        List<Pending> batch = new ArrayList<>(Math.min(queue.size() + 1, MAX_BATCH));
        long bytes = 0;
        // bounded in events and in bytes (a statement of 128 one-MiB events would be a quarter GiB
        // on the wire and in the heap); the first event always goes, whatever its size
        while (batch.size() < MAX_BATCH && bytes < MAX_BATCH_BYTES) {
            Pending next = queue.poll();
            if (next == null) {
                break;
            }
            batch.add(next);
            bytes += next.event().payload().length;
        }
        if (batch.isEmpty()) {
            return false;
        }
        write(batch);
        return true;
    }

    private void write(List<Pending> batch) {
        Set<String> inserted;
        try {
            inserted = store.insertAll(batch.stream().map(Pending::event).toList(), clock.instant());
        } catch (RuntimeException ex) {
            if (batch.size() > 1 && SqlStates.refusedAsData(ex)) {
                // one event the database refuses must not fail the others: each gets its own answer
                batch.forEach(pending -> write(List.of(pending)));
            } else {
                batch.forEach(pending -> pending.inserted().completeExceptionally(ex));
            }
            return;
        } catch (Error ex) {
            batch.forEach(pending -> pending.inserted().completeExceptionally(ex));
            throw ex;
        }
        for (Pending pending : batch) {
            // one id twice in a batch: the first delivery stored it, the second is its duplicate
            pending.inserted().complete(inserted.remove(pending.event().id()));
        }
    }

    @Override
    public void start() {
        accepting = true;
        writer.start();
    }

    /** Lets the writer finish its batch, then writes what is still waiting; later events write themselves. */
    @Override
    public void stop() {
        accepting = false;
        writer.stop();
        while (writeWaiting()) {
            // drained on the stopping thread
        }
    }

    @Override
    public boolean isRunning() {
        return writer.running();
    }

    /** Starts before and stops after the web server (and its graceful shutdown): requests in flight are answered. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private record Pending(ReceivedEvent event, CompletableFuture<Boolean> inserted) {}
}
