package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.events.Replay;
import com.anythingagents.billing.events.store.StripeEventStore;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Operators' replay: processes a stored event again, now, through the worker's own path, with its
 * attempt counter reset. Handlers are idempotent, so replaying a processed event is safe.
 */
@Component
public class EventReplayer {

    private final EventWorker worker;

    private final StripeEventStore store;

    EventReplayer(EventWorker worker, StripeEventStore store) {
        this.worker = worker;
        this.store = store;
    }

    public Replay replay(String stripeEventId) {
        if (store.find(stripeEventId).isEmpty()) {
            return new Replay.Unknown(stripeEventId);
        }
        return worker.replay(stripeEventId)
                .<Replay>map(Replay.Done::new)
                .orElseGet(() -> new Replay.Busy(stripeEventId));
    }

    /** Replays each event in order, one at a time. */
    public List<Replay> replay(List<String> stripeEventIds) {
        return stripeEventIds.stream().map(this::replay).toList();
    }
}
