package com.anythingagents.billing;

/** Test-mode credentials used by {@link BillingServiceTest}; not secrets of any real account. */
public final class TestStripe {

    public static final String SECRET_KEY = "sk_test_51TestKeyForTheBillingServiceTests0000";

    public static final String WEBHOOK_SECRET = "whsec_test_primary_0123456789abcdef";

    public static final String ROTATED_WEBHOOK_SECRET = "whsec_test_rotated_0123456789abcdef";

    public static final String JWT_SECRET = "test-jwt-secret-with-at-least-32-bytes-0000";

    private TestStripe() {}
}
