package com.anythingagents.billing.events;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Which tenant an event belongs to; the rules are implemented (and written down) in {@code
 * customers}. Runs inside the worker's transaction while it holds the lock of every customer
 * involved, so mappings read at its start stay true until it commits.
 */
public interface TenantResolver {

    /** The tenants these Stripe customers are linked to (customers without a link are absent). */
    Map<String, String> tenantsOf(Collection<String> stripeCustomerIds);

    /**
     * Applies the rules to one event, given its customer's link as read (or made) earlier in the
     * transaction; may link the customer, which {@link TenantResolution#linked} then says.
     */
    TenantResolution resolve(StripeEvent event, Optional<String> linkedTenant);

    /**
     * The tenant the event would be processed under, read only: its customer's link, else trusted
     * metadata; never links anything and takes no lock. Links are written once and never change, so
     * without the customer's lock the answer is at worst "none yet". For an event whose processing
     * failed (its activity item), where nothing else may change.
     */
    Optional<String> knownTenant(StripeEvent event);
}
