package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.background.WorkerLoop;
import com.anythingagents.billing.events.ProcessingOutcome;
import com.anythingagents.billing.events.store.ClaimedEvent;
import com.anythingagents.billing.events.store.EventQueue;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Claims due events in batches and hands them to the {@link EventProcessor}; a heartbeat renews the
 * leases of whatever this instance holds, so a short lease is safe and events of a worker that died
 * or lost its database are taken over within seconds. Any number of instances (and threads)
 * cooperate through the claims in SQL. With {@code billing.workers.enabled=false} no thread runs
 * and tests call {@link #pollOnce(Instant)} and {@link #heartbeat(Instant)} themselves.
 */
@Component
public class EventWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventWorker.class);

    private final EventQueue queue;

    private final EventProcessor processor;

    private final WorkerSettings settings;

    private final EventMetrics metrics;

    private final Clock clock;

    private final String workerId =
            hostName() + ":" + UUID.randomUUID().toString().substring(0, 8);

    private final AtomicLong claims = new AtomicLong();

    private final HeldClaims held = new HeldClaims();

    private final List<WorkerLoop> loops = new ArrayList<>();

    private final WorkerLoop heartbeat;

    EventWorker(
            EventQueue queue, EventProcessor processor, WorkerSettings settings, Clock clock, EventMetrics metrics) {
        this.queue = queue;
        this.processor = processor;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        Runnable errors = metrics.loopErrors("stripe-events");
        for (int i = 1; i <= settings.threads(); i++) {
            loops.add(new WorkerLoop("stripe-events-" + i, settings.pollInterval(), this::pollOnce, errors));
        }
        this.heartbeat = new WorkerLoop(
                "stripe-events-heartbeat",
                settings.heartbeatInterval(),
                () -> {
                    heartbeat(clock.instant());
                    return false;
                },
                metrics.loopErrors("stripe-events-heartbeat"));
    }

    /** Processes one batch of due events now; true when the batch was full (more may be due). */
    boolean pollOnce() {
        return pollOnce(clock.instant());
    }

    /** {@link #pollOnce()} as of {@code now}, so tests can step through retries. */
    boolean pollOnce(Instant now) {
        String claim = nextClaim();
        List<ClaimedEvent> batch = queue.claim(claim, now, now.plus(settings.lease()), settings.batchSize());
        if (batch.isEmpty()) {
            return false;
        }
        boolean full = batch.size() == settings.batchSize();
        if (full) {
            wakeIdle();
        }
        held.hold(claim, batch);
        try {
            processor.process(batch, held::lost, id -> held.done(claim, id));
        } finally {
            held.release(claim, batch);
        }
        return full;
    }

    /**
     * Renews the lease of every event this instance holds; the ones that could not be renewed were
     * taken over by another worker (our lease had expired): they are skipped and whatever was done
     * for them rolls back.
     */
    void heartbeat(Instant now) {
        Instant until = now.plus(settings.lease());
        for (String claim : held.claims()) {
            List<Long> holding = held.holding(claim);
            if (holding.isEmpty()) {
                continue;
            }
            List<Long> takenOver = queue.renew(claim, holding, until);
            if (!takenOver.isEmpty()) {
                held.lost(claim, takenOver);
                metrics.leasesLost(takenOver.size());
                log.warn(
                        "{} of {} events of claim {} were taken over by another worker",
                        takenOver.size(),
                        holding.size(),
                        claim);
            }
        }
    }

    /** Leases one event for a replay, with the attempt counter reset, and processes it now. */
    Optional<ProcessingOutcome> replay(String stripeEventId) {
        Instant now = clock.instant();
        String claim = nextClaim();
        Optional<ClaimedEvent> claimed =
                queue.claimForReplay(stripeEventId, claim, now, now.plus(settings.replayLease()));
        if (claimed.isEmpty()) {
            return Optional.empty();
        }
        held.hold(claim, List.of(claimed.get()));
        try {
            return Optional.of(processor.replay(claimed.get()));
        } finally {
            held.release(claim, List.of(claimed.get()));
        }
    }

    /**
     * A new event is committed: process it now rather than at the next poll. A busy loop is told to
     * run again right after its batch (it takes whatever arrived meanwhile, in one fuller batch);
     * only when every loop is idle is one woken.
     */
    public void wake() {
        for (WorkerLoop loop : loops) {
            if (loop.running() && !loop.idle()) {
                loop.wake();
                return;
            }
        }
        wakeIdle();
    }

    /** A full batch means a backlog: another loop joins in. */
    private void wakeIdle() {
        for (WorkerLoop loop : loops) {
            if (loop.idle()) {
                loop.wake();
                return;
            }
        }
    }

    @Override
    public void start() {
        if (settings.enabled()) {
            loops.forEach(WorkerLoop::start);
            heartbeat.start();
        }
    }

    @Override
    public void stop() {
        WorkerLoop.stopAll(loops);
        // last, so the leases of a batch that is finishing stay renewed
        heartbeat.stop();
    }

    @Override
    public boolean isRunning() {
        return loops.stream().anyMatch(WorkerLoop::running);
    }

    private String nextClaim() {
        return workerId + "#" + claims.incrementAndGet();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException ex) {
            return "unknown-host";
        }
    }
}
