package com.anythingagents.billing.subscriptions;

import com.anythingagents.billing.config.PriceMap;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.EventContext;
import com.anythingagents.billing.events.Freshness;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeEventHandler;
import com.anythingagents.billing.events.StripeObjectRef;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code billing_subscriptions} on the tenant's current subscription, forward only. Without
 * a resolved tenant nothing is written (the table is keyed by tenant) and no change is reported:
 * the stored event itself is the record that it arrived, and it is applied again once its customer
 * is linked. A subscription stored for another tenant is never moved: the event is flagged.
 */
@Component
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class SubscriptionEvents implements StripeEventHandler {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionEvents.class);

    private final SubscriptionRows rows;

    private final PriceMap prices;

    SubscriptionEvents(SubscriptionRows rows, ServiceSettings settings) {
        this.rows = rows;
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
    public Optional<StripeObjectRef> tracks(StripeEvent event) {
        return Optional.ofNullable(event.objectId()).map(StripeObjectRef::subscription);
    }

    /** A payload without items (or with more than one page of them) cannot be trusted. */
    @Override
    public boolean needsCurrent(StripeEvent event) {
        return !SubscriptionSnapshot.from(event.object(), prices).complete();
    }

    @Override
    public Optional<BillingChange> handle(StripeEvent event, EventContext context) {
        SubscriptionSnapshot payload = SubscriptionSnapshot.from(event.object(), prices);
        if (context.tenant().isEmpty()) {
            log.debug("Subscription {} of event {} has no tenant yet; not stored locally", payload.id(), event.id());
            return Optional.empty();
        }
        String tenant = context.tenant().get();
        boolean changed;
        SubscriptionSnapshot subscription = payload;
        if (payload.complete()) {
            // one statement when the event is newer than the row; the version is read only when it is not
            changed = upsert(tenant, payload, event, false);
            if (!changed && tied(payload, event)) {
                subscription = current(payload, event, context);
                changed = upsert(tenant, subscription, event, true);
            }
        } else {
            Freshness freshness = Freshness.of(rows.version(payload.id()), event);
            if (!freshness.applies()) {
                return Optional.empty();
            }
            subscription = current(payload, event, context);
            changed = upsert(tenant, subscription, event, true);
        }
        if (!changed) {
            rows.tenantOf(payload.id())
                    .filter(owner -> !owner.equals(tenant))
                    .ifPresent(owner -> context.flagConflict("subscription " + payload.id() + " is stored for tenant "
                            + owner + "; not moved to " + tenant));
            return Optional.empty();
        }
        return Optional.of(SubscriptionSummary.of(event, tenant, subscription, plan(subscription)));
    }

    private boolean tied(SubscriptionSnapshot payload, StripeEvent event) {
        return Freshness.of(rows.version(payload.id()), event) == Freshness.TIE;
    }

    private boolean upsert(String tenant, SubscriptionSnapshot s, StripeEvent event, boolean refetched) {
        return rows.upsert(tenant, s, plan(s), event, refetched);
    }

    private String plan(SubscriptionSnapshot s) {
        return s.priceId().flatMap(prices::planFor).orElse(null);
    }

    private SubscriptionSnapshot current(SubscriptionSnapshot payload, StripeEvent event, EventContext context) {
        return context.current(StripeObjectRef.subscription(payload.id()))
                .map(json -> SubscriptionSnapshot.from(json, prices))
                .orElseGet(() -> payload.gone(event.created()));
    }
}
