package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.config.PipelineSettings;
import java.time.Duration;

/**
 * How the event worker and the retention job run: validated {@link PipelineSettings}, plus
 * {@code billing.workers.enabled} (false gives manual mode: nothing runs in the background).
 * @param lease how long a claim holds its events unless renewed; the heartbeat renews it every third
 */
record WorkerSettings(
        boolean enabled,
        int threads,
        int batchSize,
        Duration lease,
        Duration pollInterval,
        int stripeReadsPerSecond,
        Duration retention) {

    /** A replay runs outside the worker's loops (the CLI has no heartbeat): its lease covers a slow Stripe read. */
    static final Duration MIN_REPLAY_LEASE = Duration.ofMinutes(2);

    static WorkerSettings of(boolean enabled, PipelineSettings pipeline) {
        return new WorkerSettings(
                enabled,
                pipeline.workerThreads(),
                pipeline.batchSize(),
                pipeline.lease(),
                pipeline.pollInterval(),
                pipeline.stripeReadsPerSecond(),
                pipeline.retention());
    }

    Duration heartbeatInterval() {
        return lease.dividedBy(3);
    }

    Duration replayLease() {
        return lease.compareTo(MIN_REPLAY_LEASE) > 0 ? lease : MIN_REPLAY_LEASE;
    }
}
