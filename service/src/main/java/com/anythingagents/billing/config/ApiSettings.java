package com.anythingagents.billing.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The billing API (defaults in brackets): {@code BILLING_RETURN_URL}, where Stripe's hosted pages
 * (Checkout, the Billing Portal) send the customer back when the request names no URL [none: the
 * request must]; {@code BILLING_IDEMPOTENCY_RETENTION_HOURS}, how long an {@code Idempotency-Key}
 * answers with its first response [24, as Stripe keeps its keys]; {@code BILLING_CATALOG_CACHE_SECONDS},
 * how long prices and meters read from Stripe are reused [300].
 */
public record ApiSettings(Optional<URI> returnUrl, Duration idempotencyRetention, Duration catalogCache) {

    static ApiSettings parse(Function<String, String> vars, List<String> problems) {
        return new ApiSettings(
                Settings.httpUrl(vars, "BILLING_RETURN_URL", problems),
                Duration.ofHours(Settings.positive(vars, "BILLING_IDEMPOTENCY_RETENTION_HOURS", 24, problems)),
                Duration.ofSeconds(Settings.positive(vars, "BILLING_CATALOG_CACHE_SECONDS", 300, problems)));
    }
}
