package com.anythingagents.billing.events;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The one advisory lock per Stripe customer: the worker holds it while it applies the customer's
 * events, and anything else that changes what belongs to a customer (linking it to a tenant) takes
 * it too, so the two never interleave.
 */
public final class CustomerLock {

    private CustomerLock() {}

    /** The lock's key; events without a customer lock {@code object:<id>} instead. */
    public static String key(String stripeCustomerId) {
        return "customer:" + stripeCustomerId;
    }

    /** Takes the customer's lock until the caller's transaction ends (a no-op outside a transaction). */
    public static void acquire(JdbcClient jdbc, String stripeCustomerId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(?, 0))")
                .param(key(stripeCustomerId))
                .query()
                .listOfRows();
    }
}
