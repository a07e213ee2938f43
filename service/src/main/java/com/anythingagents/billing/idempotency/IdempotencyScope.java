package com.anythingagents.billing.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The {@code Idempotency-Key} of the request this thread serves, as a stable name: the same tenant,
 * key and request always give the same name. Stripe-changing operations name their Stripe
 * idempotency keys after it, so a client's retry under the same key repeats the very same Stripe
 * requests and Stripe answers what it already did, even when the first answer was not stored (the
 * database failed after Stripe succeeded) and the retry therefore runs again.
 */
public final class IdempotencyScope {

    static final String ATTRIBUTE = IdempotencyScope.class.getName();

    private IdempotencyScope() {}

    /** The current request's name; empty outside a request, or for a request without a key. */
    public static Optional<String> current() {
        return Optional.ofNullable(RequestContextHolder.getRequestAttributes())
                .map(attributes -> attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST))
                .map(String.class::cast);
    }

    /** 32 hex digits of SHA-256 over the tenant, the key and the request's fingerprint. */
    static String of(String tenantId, String key, String requestHash) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((tenantId + "\n" + key + "\n" + requestHash).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every JVM has SHA-256", ex);
        }
    }
}
