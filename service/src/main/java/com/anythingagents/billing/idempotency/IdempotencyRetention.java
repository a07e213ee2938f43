package com.anythingagents.billing.idempotency;

import com.anythingagents.billing.background.WorkerLoop;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Deletes Idempotency-Keys past their retention ({@code BILLING_IDEMPOTENCY_RETENTION_HOURS}),
 * a batch at a time, every {@link #INTERVAL}. An expired key is free again even before it is
 * deleted, so a late deletion changes nothing a client sees.
 */
@Component
class IdempotencyRetention implements SmartLifecycle {

    static final Duration INTERVAL = Duration.ofMinutes(10);

    static final int BATCH = 1000;

    private final IdempotencyKeys keys;

    private final Clock clock;

    private final boolean enabled;

    private final WorkerLoop loop;

    IdempotencyRetention(IdempotencyKeys keys, Clock clock, Environment environment) {
        this.keys = keys;
        this.clock = clock;
        this.enabled = environment.getProperty("billing.workers.enabled", Boolean.class, true);
        this.loop = new WorkerLoop("idempotency-retention", INTERVAL, this::deleteBatch, () -> {});
    }

    /** One batch; true when it was full (more may be expired). */
    boolean deleteBatch() {
        return keys.deleteExpired(clock.instant(), BATCH) == BATCH;
    }

    @Override
    public void start() {
        if (enabled) {
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
