package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.background.WorkerLoop;
import com.anythingagents.billing.events.store.StripeEventStore;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes processed events older than the retention period ({@code BILLING_EVENT_RETENTION_DAYS}),
 * in small batches so it never holds long locks; received and failed events are never touched.
 * Runs at start and then daily, on the same loop shape as the worker.
 */
@Component
class EventRetention implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

    static final int BATCH_SIZE = 1000;

    private final StripeEventStore store;

    private final WorkerSettings settings;

    private final Clock clock;

    private final WorkerLoop loop;

    EventRetention(StripeEventStore store, WorkerSettings settings, Clock clock, EventMetrics metrics) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.loop = new WorkerLoop(
                "stripe-events-retention", Duration.ofDays(1), this::pruneBatch, metrics.loopErrors("retention"));
    }

    /** Deletes one batch; true when it was full (more may be left). */
    boolean pruneBatch() {
        int deleted = store.deleteProcessedBefore(clock.instant().minus(settings.retention()), BATCH_SIZE);
        if (deleted > 0) {
            log.info("Retention deleted {} processed events older than {}", deleted, settings.retention());
        }
        return deleted == BATCH_SIZE;
    }

    @Override
    public void start() {
        if (settings.enabled()) {
            loop.start();
        }
    }

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.running();
    }
}
