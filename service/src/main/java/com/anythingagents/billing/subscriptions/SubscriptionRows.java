package com.anythingagents.billing.subscriptions;

import com.anythingagents.billing.events.RowVersion;
import com.anythingagents.billing.events.StripeEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code billing_subscriptions}: one current subscription per tenant, written only forward. */
@Repository
class SubscriptionRows {

    // The row of a tenant changes when (a) the same subscription arrives from a newer event (or
    // from a re-fetch on a tie), or (b) a subscription created later than the row's replaces it.
    // A canceled or expired row only accepts another terminal snapshot: nothing resurrects it.
    // A subscription stored for another tenant is never moved (nor would the unique key allow it).
    private static final String UPSERT = """
            insert into billing_subscriptions as s (tenant_id, stripe_subscription_id, stripe_customer_id,
                plan_code, stripe_price_id, status, quantity, current_period_start, current_period_end,
                trial_end, cancel_at_period_end, canceled_at, ended_at, subscription_created,
                source_event_created, source_event_id)
            select :tenant, :id, :customer, :plan, :price, :status, :quantity, :periodStart, :periodEnd,
                :trialEnd, :cancelAtPeriodEnd, :canceledAt, :endedAt, :created, :eventCreated, :eventId
            where not exists (select 1 from billing_subscriptions o
                where o.stripe_subscription_id = :id and o.tenant_id <> :tenant)
            on conflict (tenant_id) do update set
                stripe_subscription_id = excluded.stripe_subscription_id,
                stripe_customer_id = excluded.stripe_customer_id,
                plan_code = excluded.plan_code,
                stripe_price_id = excluded.stripe_price_id,
                status = excluded.status,
                quantity = excluded.quantity,
                current_period_start = excluded.current_period_start,
                current_period_end = excluded.current_period_end,
                trial_end = excluded.trial_end,
                cancel_at_period_end = excluded.cancel_at_period_end,
                canceled_at = excluded.canceled_at,
                ended_at = excluded.ended_at,
                subscription_created = excluded.subscription_created,
                source_event_created = excluded.source_event_created,
                source_event_id = excluded.source_event_id,
                updated_at = now()
            where (s.stripe_subscription_id = excluded.stripe_subscription_id
                    and (s.source_event_created is null
                        or s.source_event_created < excluded.source_event_created
                        or (:refetched and s.source_event_created = excluded.source_event_created))
                    and (s.status not in ('canceled', 'incomplete_expired')
                        or excluded.status in ('canceled', 'incomplete_expired')))
                or (s.stripe_subscription_id <> excluded.stripe_subscription_id
                    and coalesce(s.subscription_created, '-infinity') < excluded.subscription_created)
            """;

    private final JdbcClient jdbc;

    SubscriptionRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<RowVersion> version(String subscriptionId) {
        return RowVersion.find(jdbc, "billing_subscriptions", "stripe_subscription_id", subscriptionId);
    }

    /** The tenant the subscription's row belongs to, if it is stored. */
    Optional<String> tenantOf(String subscriptionId) {
        return jdbc.sql("select tenant_id from billing_subscriptions where stripe_subscription_id = ?")
                .param(subscriptionId)
                .query(String.class)
                .optional();
    }

    /**
     * @param event the event the snapshot came from; null for Stripe's answer to this service's own
     *     call, which has no event version, so any later event applies over it
     * @return whether the row changed (false: a newer event or a newer subscription already won, or
     *     the subscription is stored for another tenant)
     */
    boolean upsert(String tenantId, SubscriptionSnapshot s, String planCode, StripeEvent event, boolean refetched) {
        int rows = jdbc.sql(UPSERT)
                .param("tenant", tenantId)
                .param("id", s.id())
                .param("customer", s.customerId())
                .param("plan", planCode)
                .param("price", s.priceId().orElse(null))
                .param("status", s.status())
                .param("quantity", s.quantity())
                .param("periodStart", at(s.periodStart()))
                .param("periodEnd", at(s.periodEnd()))
                .param("trialEnd", at(s.trialEnd()))
                .param("cancelAtPeriodEnd", s.cancelAtPeriodEnd())
                .param("canceledAt", at(s.canceledAt()))
                .param("endedAt", at(s.endedAt()))
                .param("created", at(s.created()))
                .param("eventCreated", event == null ? null : at(event.created()))
                .param("eventId", event == null ? null : event.id())
                .param("refetched", refetched)
                .update();
        if (rows > 1) {
            throw new IllegalStateException("upsert of subscription " + s.id() + " changed " + rows + " rows");
        }
        return rows == 1;
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
