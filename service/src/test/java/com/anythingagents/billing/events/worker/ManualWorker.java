package com.anythingagents.billing.events.worker;

import java.time.Clock;
import org.springframework.context.ApplicationContext;

/**
 * The service's own worker in manual mode ({@code billing.workers.enabled=false}), driven by a
 * test in any package: claim and process what is due, as the background loop would.
 */
public final class ManualWorker {

    private final EventWorker worker;

    private final Clock clock;

    private ManualWorker(EventWorker worker, Clock clock) {
        this.worker = worker;
        this.clock = clock;
    }

    public static ManualWorker from(ApplicationContext context) {
        return new ManualWorker(context.getBean(EventWorker.class), context.getBean(Clock.class));
    }

    /** Processes batches until nothing is due (as of the clock); returns how many batches ran. */
    public int drain() {
        int batches = 0;
        while (worker.pollOnce(clock.instant()) && batches < 10_000) {
            batches++;
        }
        return batches + 1;
    }
}
