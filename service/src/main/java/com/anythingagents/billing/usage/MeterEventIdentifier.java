package com.anythingagents.billing.usage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Billing Meter Event {@code identifier} of a usage record. Idempotency keys are per tenant
 * while Stripe's identifiers are per account, so the identifier is derived from both: a retry
 * never bills twice and two tenants using the same key never collide. A hash keeps it inside
 * Stripe's 100 characters whatever the tenant id and key (≤ 255 characters each), and the length
 * prefix keeps ("ab", "c") and ("a", "bc") apart.
 */
final class MeterEventIdentifier {

    static final String PREFIX = "usage_";

    private MeterEventIdentifier() {}

    static String of(String tenantId, String idempotencyKey) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha256.digest(
                    (tenantId.length() + ":" + tenantId + ":" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every JVM has SHA-256", ex);
        }
    }
}
