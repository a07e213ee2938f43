package com.anythingagents.billing.events;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
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
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.stereotype.Component;

/**
 * Group commit for incoming events: concurrent deliveries hand their event to one writer thread,
 * which inserts everything waiting in a single statement (one commit) and only then answers each
 * delivery. Under load a commit carries many events; alone, an event is written at once (no wait).
 */
@Component
class GroupCommit implements SmartLifecycle {

    static final int MAX_BATCH = 128;

    /** More than Tomcat's request threads, so a full queue means the writer is stuck, not busy. */
    private static final int QUEUE_CAPACITY = 1024;

    /** Past this the delivery answers 503; if its row commits later, Stripe's retry is a duplicate. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final StripeEventStore store;

    private final Clock clock;

    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);

    private final WorkerLoop writer;

    private volatile boolean accepting;

    GroupCommit(StripeEventStore store, Clock clock, EventMetrics metrics) {
        this.store = store;
        this.clock = clock;
        this.writer = new WorkerLoop(
                "stripe-events-intake", Duration.ofSeconds(1), this::writeWaiting, metrics.loopErrors("intake"));
    }

    /** Stores the event; returns once the statement that stored it (or found it stored) has committed. */
    EventInbox.Acceptance store(ReceivedEvent event) {
        Pending pending = new Pending(event, new CompletableFuture<>());
        if (!accepting || !queue.offer(pending)) {
            throw new DataAccessResourceFailureException("The event intake is not taking events right now");
        }
        writer.wake();
        try {
            return pending.result().get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
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
        queue.drainTo(batch, MAX_BATCH);
        if (batch.isEmpty()) {
            return false;
        }
        write(batch);
        return true;
    }

    private void write(List<Pending> batch) {
        Set<String> inserted;
        try {
            inserted = new HashSet<>(
                    store.insertAll(batch.stream().map(Pending::event).toList(), clock.instant()));
        } catch (DataIntegrityViolationException ex) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(ex);
                return;
            }
            // one event the database refuses (say a \u0000 jsonb cannot hold) must not fail the others
            batch.forEach(pending -> write(List.of(pending)));
            return;
        } catch (RuntimeException ex) {
            batch.forEach(pending -> pending.result().completeExceptionally(ex));
            return;
        }
        for (Pending pending : batch) {
            // one id twice in a batch: the first delivery stored it, the second is its duplicate
            pending.result()
                    .complete(
                            inserted.remove(pending.event().id())
                                    ? EventInbox.Acceptance.INSERTED
                                    : EventInbox.Acceptance.DUPLICATE);
        }
    }

    @Override
    public void start() {
        accepting = true;
        writer.start();
    }

    /** Refuses new events, lets the writer finish its batch, then writes what is still waiting. */
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

    /** Stops after the web server (and its graceful shutdown), so requests in flight are answered. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private record Pending(ReceivedEvent event, CompletableFuture<EventInbox.Acceptance> result) {}
}
