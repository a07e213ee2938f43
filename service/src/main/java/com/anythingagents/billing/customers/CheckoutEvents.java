package com.anythingagents.billing.customers;

import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeEventHandler;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * A completed Checkout Session links the tenant (its {@code client_reference_id} or
 * {@code metadata.tenant_id}) to the customer Stripe created, and names the subscription it
 * started. The subscription row itself comes from the subscription's own events, which carry the
 * full object.
 */
@Component
class CheckoutEvents implements StripeEventHandler {

    private final CustomerRows rows;

    CheckoutEvents(CustomerRows rows) {
        this.rows = rows;
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("checkout.session.completed");
    }

    @Override
    public Optional<BillingChange> handle(StripeEvent event, Optional<String> tenantId) {
        JsonNode session = event.object();
        Optional<String> tenant = CheckoutSession.tenant(session).or(() -> tenantId);
        Optional<String> customer = event.customerId();
        Optional<String> subscription = CheckoutSession.text(session.path("subscription"));
        if (tenant.isEmpty() || customer.isEmpty()) {
            return Optional.empty();
        }
        boolean linked = rows.link(tenant.get(), customer.get());
        String summary = "Checkout " + event.objectId() + " completed: " + tenant.get()
                + (linked ? " linked to customer " : " already linked to customer ") + customer.get()
                + subscription.map(id -> ", subscription " + id).orElse("");
        BillingChange change = BillingChange.of(tenant.get(), summary)
                .withStatus(session.path("status").asString("complete"));
        return Optional.of(subscription
                .map(id -> change.withSubscription(
                        id, session.path("metadata").path("plan_code").asString(null)))
                .orElse(change));
    }
}
