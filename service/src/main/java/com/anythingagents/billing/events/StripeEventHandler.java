package com.anythingagents.billing.events;

import java.util.Optional;
import java.util.Set;

/**
 * Applies one kind of Stripe event to local state. Runs inside the worker's transaction for that
 * event, after the tenant's advisory lock is taken, so two events of one tenant never race.
 * Must be idempotent: the same event may be handled again after a crash or a replay.
 */
public interface StripeEventHandler {

    /** The event types this handler applies, e.g. {@code customer.subscription.updated}. */
    Set<String> eventTypes();

    /**
     * @param tenantId the resolved tenant (object metadata, else the customer mapping), if any
     * @return the billing change to record in the activity ledger, or empty when nothing changed
     *     (for example a stale event that lost to a newer one)
     */
    Optional<BillingChange> handle(StripeEvent event, Optional<String> tenantId);
}
