package com.anythingagents.billing.events;

import org.springframework.stereotype.Component;

/**
 * The one way an event enters the store, for webhooks and backfills alike: an atomic
 * insert-or-nothing, then the worker is woken. When {@link #accept} returns, the row is committed.
 */
@Component
public class EventInbox {

    private final GroupCommit intake;

    private final EventWorker worker;

    EventInbox(GroupCommit intake, EventWorker worker) {
        this.intake = intake;
        this.worker = worker;
    }

    /** Whether the event was new or a redelivery of one stored already. */
    public enum Acceptance {
        INSERTED,
        DUPLICATE
    }

    /** @throws org.springframework.dao.DataAccessException when the database cannot store it */
    public Acceptance accept(ReceivedEvent event) {
        // returns after the commit of the statement that carried it (with other deliveries' events)
        if (intake.store(event) == Acceptance.DUPLICATE) {
            return Acceptance.DUPLICATE;
        }
        worker.wake();
        return Acceptance.INSERTED;
    }
}
