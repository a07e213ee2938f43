package com.anythingagents.billing.subscriptions;

import com.anythingagents.billing.config.PriceMap;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.Freshness;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeEventHandler;
import com.anythingagents.billing.stripe.StripeGateway;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code billing_subscriptions} on the tenant's current subscription, forward only. Without
 * a resolved tenant nothing is written (the table is keyed by tenant) and no change is reported:
 * the stored event itself is the record that it arrived.
 */
@Component
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class SubscriptionEvents implements StripeEventHandler {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionEvents.class);

    private final SubscriptionRows rows;

    private final StripeGateway stripe;

    private final PriceMap prices;

    SubscriptionEvents(SubscriptionRows rows, StripeGateway stripe, ServiceSettings settings) {
        this.rows = rows;
        this.stripe = stripe;
        this.prices = settings.stripe().orElseThrow().prices();
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of(
                "customer.subscription.created",
                "customer.subscription.updated",
                "customer.subscription.deleted",
                "customer.subscription.paused",
                "customer.subscription.resumed",
                "customer.subscription.trial_will_end");
    }

    @Override
    public Optional<BillingChange> handle(StripeEvent event, Optional<String> tenantId) {
        SubscriptionSnapshot payload = SubscriptionSnapshot.from(event.object(), prices);
        if (tenantId.isEmpty()) {
            log.warn("Subscription {} of event {} has no tenant; not stored locally", payload.id(), event.id());
            return Optional.empty();
        }
        Freshness freshness = Freshness.of(rows.version(payload.id()), event);
        if (!freshness.applies()) {
            return Optional.empty();
        }
        boolean refetch = freshness == Freshness.TIE || !payload.complete();
        SubscriptionSnapshot subscription = refetch ? current(payload, event) : payload;
        String plan = subscription.priceId().flatMap(prices::planFor).orElse(null);
        if (!rows.upsert(tenantId.get(), subscription, plan, event, refetch)) {
            return Optional.empty();
        }
        return Optional.of(SubscriptionSummary.of(event, tenantId.get(), subscription, plan));
    }

    private SubscriptionSnapshot current(SubscriptionSnapshot payload, StripeEvent event) {
        return stripe.retrieveSubscription(payload.id())
                .map(json -> SubscriptionSnapshot.from(json, prices))
                .orElseGet(() -> payload.gone(event.created()));
    }
}
