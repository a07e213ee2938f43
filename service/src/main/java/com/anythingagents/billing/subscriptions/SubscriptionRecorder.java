package com.anythingagents.billing.subscriptions;

import com.anythingagents.billing.config.PriceMap;
import com.anythingagents.billing.config.ServiceSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Records Stripe's answer to this service's own call in {@code billing_subscriptions}, through the
 * same forward-only upsert as the webhook events (with no event version, so every later event of
 * the subscription applies over it), and answers it as the API shows subscriptions: what Stripe
 * said, whether or not a newer event had already moved the row further.
 */
@Component
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class SubscriptionRecorder {

    private final SubscriptionRows rows;

    private final PriceMap prices;

    private final TransactionTemplate transaction;

    SubscriptionRecorder(SubscriptionRows rows, ServiceSettings settings, PlatformTransactionManager transactions) {
        this.rows = rows;
        this.prices = settings.stripe().orElseThrow().prices();
        this.transaction = new TransactionTemplate(transactions);
    }

    Subscription record(String tenantId, JsonNode stripeSubscription) {
        SubscriptionSnapshot s = SubscriptionSnapshot.from(stripeSubscription, prices);
        String plan = s.priceId().flatMap(prices::planFor).orElse(null);
        transaction.executeWithoutResult(status -> rows.upsert(tenantId, s, plan, null, false));
        return new Subscription(
                s.id(),
                s.customerId(),
                s.status(),
                plan,
                s.priceId().orElse(null),
                s.quantity(),
                s.periodStart(),
                s.periodEnd(),
                s.trialEnd(),
                s.cancelAtPeriodEnd(),
                s.canceledAt(),
                s.endedAt());
    }
}
