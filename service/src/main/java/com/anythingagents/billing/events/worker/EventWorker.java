package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.background.WorkerLoop;
import com.anythingagents.billing.events.store.ClaimedEvent;
import com.anythingagents.billing.events.store.StripeEventStore;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Claims due events in batches and processes each in its own transaction. Any number of
 * instances (and threads) cooperate through the lease in SQL. With {@code billing.workers.enabled=false}
 * no thread runs and tests call {@link #pollOnce(Instant)} themselves.
 */
@Component
public class EventWorker implements SmartLifecycle {

    private final StripeEventStore store;

    private final EventProcessor processor;

    private final WorkerSettings settings;

    private final Clock clock;

    private final String workerId =
            hostName() + ":" + UUID.randomUUID().toString().substring(0, 8);

    private final List<WorkerLoop> loops = new ArrayList<>();

    EventWorker(
            StripeEventStore store,
            EventProcessor processor,
            WorkerSettings settings,
            Clock clock,
            EventMetrics metrics) {
        this.store = store;
        this.processor = processor;
        this.settings = settings;
        this.clock = clock;
        Runnable errors = metrics.loopErrors("stripe-events");
        for (int i = 1; i <= settings.threads(); i++) {
            loops.add(new WorkerLoop("stripe-events-" + i, settings.pollInterval(), this::pollOnce, errors));
        }
    }

    /** Processes one batch of due events now; true when the batch was full (more may be due). */
    boolean pollOnce() {
        return pollOnce(clock.instant());
    }

    /** {@link #pollOnce()} as of {@code now}, so tests can step through retries. */
    boolean pollOnce(Instant now) {
        List<ClaimedEvent> batch = store.claim(workerId, now, now.plus(settings.lease()), settings.batchSize());
        batch.forEach(processor::process);
        return batch.size() == settings.batchSize();
    }

    /** Leases one event for a replay, with the attempt counter reset. */
    java.util.Optional<ClaimedEvent> claimForReplay(String stripeEventId) {
        Instant now = clock.instant();
        return store.claimForReplay(stripeEventId, workerId, now, now.plus(settings.lease()));
    }

    /** A new event is committed: process it now rather than at the next poll. */
    public void wake() {
        loops.forEach(WorkerLoop::wake);
    }

    @Override
    public void start() {
        if (settings.enabled()) {
            loops.forEach(WorkerLoop::start);
        }
    }

    @Override
    public void stop() {
        WorkerLoop.stopAll(loops);
    }

    @Override
    public boolean isRunning() {
        return loops.stream().anyMatch(WorkerLoop::running);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException ex) {
            return "unknown-host";
        }
    }
}
