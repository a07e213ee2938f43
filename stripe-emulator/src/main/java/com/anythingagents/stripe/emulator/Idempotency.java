package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stripe's idempotency: a key replays the first response when sent again with the same request,
 * and is a 400 {@code idempotency_error} when reused with different parameters. Guarded by the
 * store lock like all state; bounded so a long-running local emulator does not grow forever.
 */
final class Idempotency {

    private static final int MAX_KEYS = 10_000;

    record Saved(String fingerprint, int status, byte[] body) {}

    private final Map<String, Saved> saved = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Saved> eldest) {
            return size() > MAX_KEYS;
        }
    };

    /** A digest, not the parameters themselves: 10,000 kept keys must not hold 10,000 request bodies. */
    static String fingerprint(String method, String path, ObjectNode params) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((method + " " + path + " " + params).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    Optional<Saved> replay(String key, String fingerprint) {
        Saved previous = saved.get(key);
        if (previous == null) {
            return Optional.empty();
        }
        if (!previous.fingerprint().equals(fingerprint)) {
            throw new StripeException(
                    400,
                    "idempotency_error",
                    null,
                    null,
                    "Keys for idempotent requests can only be used with the same parameters they were first used with. "
                            + "Try using a key other than '" + key + "' if you meant to execute a different request.");
        }
        return Optional.of(previous);
    }

    void save(String key, String fingerprint, int status, byte[] body) {
        saved.put(key, new Saved(fingerprint, status, body));
    }

    void clear() {
        saved.clear();
    }
}
