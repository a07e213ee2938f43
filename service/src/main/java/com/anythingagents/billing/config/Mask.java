package com.anythingagents.billing.config;

/** Masks secrets for logs and CLI output: {@code sk_test_…4f2a}. Never log the raw value. */
public final class Mask {

    private Mask() {}

    public static String secret(String value) {
        if (value == null || value.isEmpty()) {
            return "(unset)";
        }
        int prefixEnd = value.lastIndexOf('_', Math.min(value.length() - 1, 8)) + 1;
        String prefix = value.substring(0, prefixEnd);
        String rest = value.substring(prefixEnd);
        return rest.length() <= 8 ? prefix + "…" : prefix + "…" + rest.substring(rest.length() - 4);
    }
}
