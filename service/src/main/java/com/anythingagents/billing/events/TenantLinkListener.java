package com.anythingagents.billing.events;

/**
 * Told, inside the transaction that made the link, that a Stripe customer now belongs to a tenant,
 * so what was stored for that customer without a tenant gets it.
 */
public interface TenantLinkListener {

    void customerLinked(String stripeCustomerId, String tenantId);
}
