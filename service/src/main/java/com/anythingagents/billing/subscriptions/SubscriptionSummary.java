package com.anythingagents.billing.subscriptions;

import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.StripeEvent;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The activity line of an applied subscription event. */
final class SubscriptionSummary {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private SubscriptionSummary() {}

    static BillingChange of(StripeEvent event, String tenantId, SubscriptionSnapshot s, String plan) {
        String on = plan != null ? "plan " + plan : "price " + s.priceId().orElse("(none)");
        String summary = switch (event.type()) {
            case "customer.subscription.created" ->
                "Subscription " + s.id() + " created: " + s.status() + " on " + on + " (qty " + s.quantity() + ")";
            case "customer.subscription.deleted" -> "Subscription " + s.id() + " canceled (was on " + on + ")";
            case "customer.subscription.trial_will_end" ->
                "Trial of subscription " + s.id() + " on " + on
                        + (s.trialEnd() != null ? " ends " + DAY.format(s.trialEnd()) : " ends soon");
            default -> "Subscription " + s.id() + " is now " + s.status() + " on " + on + " (qty " + s.quantity() + ")";
        };
        if (s.cancelAtPeriodEnd() && !"canceled".equals(s.status())) {
            summary += s.periodEnd() != null
                    ? ", cancels at period end " + DAY.format(s.periodEnd())
                    : ", cancels at period end";
        }
        return BillingChange.of(tenantId, summary).withStatus(s.status()).withSubscription(s.id(), plan);
    }
}
