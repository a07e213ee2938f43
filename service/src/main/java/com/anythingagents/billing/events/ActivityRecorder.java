package com.anythingagents.billing.events;

import java.util.Collection;
import java.util.List;

/**
 * Writes the normalized activity row for a handled event, in the worker's transaction, so the
 * ledger never disagrees with the state it describes. One row per Stripe event, however often the
 * event is processed.
 */
public interface ActivityRecorder {

    void record(StripeEvent event, BillingChange change);

    /** The changes of several events, in the order they were applied (one transaction). */
    default void recordAll(List<Recorded> changes) {
        changes.forEach(c -> record(c.event(), c.change()));
    }

    /**
     * Gives the rows of these events that were recorded without a tenant the tenant: their
     * customer was linked after they were processed.
     */
    default void assignTenant(String tenantId, Collection<String> stripeEventIds) {}

    /** A change and the event it came from. */
    record Recorded(StripeEvent event, BillingChange change) {}
}
