package com.anythingagents.billing.events;

import java.util.Collection;
import java.util.List;

/**
 * Writes the normalized activity row for a handled event, in the worker's transaction, so the
 * ledger never disagrees with the state it describes. One row per Stripe event, however often the
 * event is processed: its failed item while it is failing, replaced by its processed item once it is.
 */
public interface ActivityRecorder {

    void record(StripeEvent event, BillingChange change);

    /** The changes of several events, in the order they were applied (one transaction). */
    default void recordAll(List<Recorded> changes) {
        changes.forEach(c -> record(c.event(), c.change()));
    }

    /**
     * What one transaction processed, in the order it was applied: every event (with a change or
     * not) and the changes. An event that has a failed item (an earlier attempt failed) gets it
     * replaced: the failed item is deleted and the processed one recorded like any other, with a new
     * sequence, so it reaches the live stream; an event whose success changed nothing still gets a
     * processed item then, or the ledger would go on saying it failed.
     */
    default void recordProcessed(List<StripeEvent> processed, List<Recorded> changes) {
        recordAll(changes);
    }

    /**
     * Records that processing the event failed, under {@code tenantId}, in the caller's transaction
     * (the one that marks the event failed). An event has one item: once it has one, later failures
     * add and change nothing.
     */
    default void recordFailure(StripeEvent event, String tenantId, String summary) {}

    /**
     * Gives the rows of these events that were recorded without a tenant the tenant: their
     * customer was linked after they were processed.
     */
    default void assignTenant(String tenantId, Collection<String> stripeEventIds) {}

    /** A change and the event it came from. */
    record Recorded(StripeEvent event, BillingChange change) {}
}
