package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Accepts any {@code sk_test_…} key, as Bearer or as Basic user name; never echoes the key. */
final class ApiKeys {

    private ApiKeys() {}

    static void check(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new StripeException(
                    401,
                    "invalid_request_error",
                    null,
                    null,
                    "You did not provide an API key. You need to provide your API key in the Authorization header, "
                            + "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
        }
        String key = keyOf(authorization.trim());
        if (!key.startsWith("sk_test_") || key.length() <= "sk_test_".length()) {
            throw new StripeException(
                    401, "invalid_request_error", "api_key_invalid", null, "Invalid API Key provided: " + masked(key));
        }
    }

    private static String keyOf(String authorization) {
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(
                        Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                return decoded.split(":", 2)[0];
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        return "";
    }

    private static String masked(String key) {
        return key.length() <= 8
                ? "****"
                : key.substring(0, Math.min(8, key.length())) + "****" + key.substring(key.length() - 4);
    }
}
