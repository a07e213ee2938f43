package com.anythingagents.billing.subscriptions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A reserved Stripe-changing operation of a tenant. Its id names the idempotency keys of its Stripe
 * calls, so a retry of an operation whose outcome was unknown repeats the very same requests.
 */
record TenantOperation(String tenantId, String operationId, String kind) {

    /** The idempotency key of one step: e.g. {@code op_…:customer}. */
    String stripeKey(String step) {
        return operationId + ":" + step;
    }

    /**
     * The key of a step whose parameters may differ between tries (a change, a checkout session):
     * the same parameters repeat the request, other parameters make a new one instead of a conflict.
     */
    String stripeKey(String step, String parameters) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(parameters.getBytes(StandardCharsets.UTF_8));
            return stripeKey(step) + ":" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every JVM has SHA-256", ex);
        }
    }
}
