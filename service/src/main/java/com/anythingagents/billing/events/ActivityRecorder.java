package com.anythingagents.billing.events;

/**
 * Writes the normalized activity row for a handled event, in the worker's transaction, so the
 * ledger never disagrees with the state it describes.
 */
public interface ActivityRecorder {

    void record(StripeEvent event, BillingChange change);
}
