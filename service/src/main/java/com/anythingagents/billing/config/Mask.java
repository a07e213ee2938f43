package com.anythingagents.billing.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks secrets for logs and CLI output: {@code sk_test_…4f2a}. Never log the raw value. */
public final class Mask {

    // Stripe-style prefixes (sk_test_, rk_live_, whsec_) say what a value is without revealing it;
    // anything else (password_1) shows no prefix, or a short secret would be printed almost whole.
    private static final Pattern KEY_PREFIX = Pattern.compile("[a-z]{2,5}_(?:test_|live_)?");

    // The last four characters only of values long enough that four of them give nothing away.
    private static final int MIN_LENGTH_FOR_TAIL = 12;

    private Mask() {}

    public static String secret(String value) {
        if (value == null || value.isEmpty()) {
            return "(unset)";
        }
        Matcher prefix = KEY_PREFIX.matcher(value);
        String shown = prefix.lookingAt() ? prefix.group() : "";
        String rest = value.substring(shown.length());
        return rest.length() < MIN_LENGTH_FOR_TAIL ? shown + "…" : shown + "…" + rest.substring(rest.length() - 4);
    }
}
