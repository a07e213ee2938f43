package com.anythingagents.billing.events;

import com.anythingagents.billing.events.store.StripeEventStore;
import com.anythingagents.billing.events.worker.EventWorker;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * The one way an event enters the store, for webhooks and backfills alike: an atomic
 * insert-or-nothing, then the worker is woken. When {@link #accept} returns, the row is committed.
 */
@Component
public class EventInbox {

    private final StripeEventStore store;

    private final EventWorker worker;

    private final Clock clock;

    EventInbox(StripeEventStore store, EventWorker worker, Clock clock) {
        this.store = store;
        this.worker = worker;
        this.clock = clock;
    }

    /** Whether the event was new or a redelivery of one stored already. */
    public enum Acceptance {
        INSERTED,
        DUPLICATE
    }

    /** @throws org.springframework.dao.DataAccessException when the database cannot store it */
    public Acceptance accept(ReceivedEvent event) {
        // a single statement in auto-commit: committed when it returns
        if (!store.insert(event, clock.instant())) {
            return Acceptance.DUPLICATE;
        }
        worker.wake();
        return Acceptance.INSERTED;
    }
}
