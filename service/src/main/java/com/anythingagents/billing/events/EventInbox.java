package com.anythingagents.billing.events;

import com.anythingagents.billing.events.worker.EventWorker;
import org.springframework.stereotype.Component;

/**
 * The one way an event enters the store, for webhooks and backfills alike: an atomic
 * insert-or-nothing (shared with the concurrent deliveries, {@link GroupCommit}), then the worker
 * is woken. When {@link #accept} returns, the row is committed.
 */
@Component
public class EventInbox {

    private final GroupCommit writer;

    private final EventWorker worker;

    EventInbox(GroupCommit writer, EventWorker worker) {
        this.writer = writer;
        this.worker = worker;
    }

    /** Whether the event was new or a redelivery of one stored already. */
    public enum Acceptance {
        INSERTED,
        DUPLICATE
    }

    /** @throws org.springframework.dao.DataAccessException when the database cannot store it */
    public Acceptance accept(ReceivedEvent event) {
        if (!writer.store(event)) {
            return Acceptance.DUPLICATE;
        }
        worker.wake();
        return Acceptance.INSERTED;
    }
}
