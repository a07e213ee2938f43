package com.anythingagents.billing.customers;

import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.EventContext;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeEventHandler;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * A completed Checkout Session reports which tenant and customer it was for, and the subscription
 * it started. Linking the customer is {@link TenantRules}' (the session's {@code metadata.tenant_id},
 * never its {@code client_reference_id} alone); the subscription row comes from the
 * subscription's own events, which carry the full object.
 */
@Component
class CheckoutEvents implements StripeEventHandler {

    @Override
    public Set<String> eventTypes() {
        return Set.of("checkout.session.completed");
    }

    @Override
    public Optional<BillingChange> handle(StripeEvent event, EventContext context) {
        JsonNode session = event.object();
        Optional<String> tenant = context.tenant();
        Optional<String> customer = event.customerId();
        Optional<String> subscription = CheckoutSession.text(session.path("subscription"));
        if (tenant.isEmpty() || customer.isEmpty()) {
            return Optional.empty();
        }
        String summary = "Checkout " + event.objectId() + " completed: " + tenant.get()
                + (context.customerLinked() ? " linked to customer " : ", customer ") + customer.get()
                + subscription.map(id -> ", subscription " + id).orElse("");
        BillingChange change = BillingChange.of(tenant.get(), summary)
                .withStatus(session.path("status").asString("complete"));
        return Optional.of(subscription
                .map(id -> change.withSubscription(
                        id, session.path("metadata").path("plan_code").asString(null)))
                .orElse(change));
    }
}
