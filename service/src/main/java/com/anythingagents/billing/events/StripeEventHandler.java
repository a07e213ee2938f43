package com.anythingagents.billing.events;

import java.util.Optional;
import java.util.Set;

/**
 * Applies one kind of Stripe event to local state. Runs inside the worker's transaction, which
 * holds the lock of the event's Stripe customer (else of its object), so two events of one customer
 * never race; several events of one customer are applied in one transaction, in Stripe's
 * {@code created} order. Must be idempotent: the same event may be handled again after a crash or a
 * replay. Never calls Stripe: what it needs from Stripe the worker reads before the transaction
 * opens ({@link #tracks}, {@link EventContext#current}).
 */
public interface StripeEventHandler {

    /** The event types this handler applies, e.g. {@code customer.subscription.updated}. */
    Set<String> eventTypes();

    /**
     * The Stripe object whose local row this event writes, if any. The worker reads it from Stripe
     * before the transaction opens when the event may tie with another of the same second, or when
     * {@link #needsCurrent} says the payload alone cannot be trusted.
     */
    default Optional<StripeObjectRef> tracks(StripeEvent event) {
        return Optional.empty();
    }

    /** Whether this event's payload is unusable on its own (e.g. incomplete): then its object is always read. */
    default boolean needsCurrent(StripeEvent event) {
        return false;
    }

    /**
     * @return the billing change to record in the activity ledger, or empty when nothing changed
     *     (for example a stale event that lost to a newer one)
     */
    Optional<BillingChange> handle(StripeEvent event, EventContext context);
}
