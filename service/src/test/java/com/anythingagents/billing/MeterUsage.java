package com.anythingagents.billing;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.billing.Meter;
import com.stripe.param.billing.MeterEventSummaryListParams;
import java.time.Duration;
import java.time.Instant;

/** What a Billing Meter recorded for a customer, as Stripe sums it (duplicates would show here). */
public final class MeterUsage {

    private MeterUsage() {}

    /** The sum of {@code eventName}'s meter for the customer over the last 40 days of Stripe's time. */
    public static long total(StripeClient stripe, Instant stripeNow, String eventName, String customerId) {
        try {
            Meter meter = stripe.billing().meters().list().getData().stream()
                    .filter(m -> m.getEventName().equals(eventName))
                    .findFirst()
                    .orElseThrow();
            long end = (stripeNow.getEpochSecond() / 60 + 10) * 60;
            long start = end - Duration.ofDays(40).toSeconds();
            return stripe
                    .billing()
                    .meters()
                    .eventSummaries()
                    .list(
                            meter.getId(),
                            MeterEventSummaryListParams.builder()
                                    .setCustomer(customerId)
                                    .setStartTime(start)
                                    .setEndTime(end)
                                    .build())
                    .getData()
                    .stream()
                    .mapToLong(s -> s.getAggregatedValue().longValueExact())
                    .sum();
        } catch (StripeException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
