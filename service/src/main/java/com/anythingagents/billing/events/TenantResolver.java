package com.anythingagents.billing.events;

import java.util.Optional;

/**
 * Which tenant an event belongs to: {@code metadata.tenant_id} on the object, else the local
 * customer mapping by Stripe customer id, else none (the event is stored and processed unassigned).
 */
public interface TenantResolver {

    Optional<String> resolve(StripeEvent event);
}
