package com.anythingagents.billing.events;

import com.anythingagents.billing.events.store.StripeEventStore;
import com.anythingagents.billing.events.worker.EventBackfill;
import com.anythingagents.billing.events.worker.EventReplayer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What operators do with stored Stripe events, for the CLI and the admin API: list, show, replay
 * (through the worker's own processing path, attempts reset) and backfill from Stripe's Events API.
 */
@Component
public class EventOperations {

    private final StripeEventStore store;

    private final EventReplayer replayer;

    private final ObjectProvider<EventBackfill> backfill;

    EventOperations(StripeEventStore store, EventReplayer replayer, ObjectProvider<EventBackfill> backfill) {
        this.store = store;
        this.replayer = replayer;
        this.backfill = backfill;
    }

    /** One stored event, with its payload. */
    public Optional<StoredEvent> find(String stripeEventId) {
        return store.find(stripeEventId);
    }

    /** Stored events, newest first, without payloads. */
    public List<StoredEvent> list(EventFilter filter) {
        return store.list(filter);
    }

    /** Processes a stored event again, now, with its attempt counter reset. */
    public Replay replay(String stripeEventId) {
        return replayer.replay(stripeEventId);
    }

    /**
     * Stores the events Stripe has since {@code since} that were never received, then processes
     * them oldest first; empty when billing is disabled (no Stripe to ask).
     */
    public Optional<Backfill> backfill(Instant since, boolean dryRun) {
        return Optional.ofNullable(backfill.getIfAvailable()).map(b -> b.sync(since, dryRun));
    }
}
