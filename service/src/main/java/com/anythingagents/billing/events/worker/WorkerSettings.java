package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.config.PipelineSettings;
import java.time.Duration;

/**
 * How the event worker and the retention job run: validated {@link PipelineSettings}, plus
 * {@code billing.workers.enabled} (false gives manual mode: nothing runs in the background).
 */
record WorkerSettings(
        boolean enabled, int threads, int batchSize, Duration lease, Duration pollInterval, Duration retention) {

    static WorkerSettings of(boolean enabled, PipelineSettings pipeline) {
        return new WorkerSettings(
                enabled,
                pipeline.workerThreads(),
                pipeline.batchSize(),
                pipeline.lease(),
                pipeline.pollInterval(),
                pipeline.retention());
    }
}
