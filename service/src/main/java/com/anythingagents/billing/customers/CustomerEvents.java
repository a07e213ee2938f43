package com.anythingagents.billing.customers;

import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.Freshness;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeEventHandler;
import com.anythingagents.billing.stripe.StripeGateway;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Keeps the tenant ↔ customer mapping, forward only. A customer without a tenant is not mapped
 * (the table is keyed by tenant) and reports no change.
 */
@Component
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class CustomerEvents implements StripeEventHandler {

    private final CustomerRows rows;

    private final StripeGateway stripe;

    CustomerEvents(CustomerRows rows, StripeGateway stripe) {
        this.rows = rows;
        this.stripe = stripe;
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("customer.created", "customer.updated", "customer.deleted");
    }

    @Override
    public Optional<BillingChange> handle(StripeEvent event, Optional<String> tenantId) {
        CustomerSnapshot payload = CustomerSnapshot.from(event.object());
        if ("customer.deleted".equals(event.type())) {
            payload = payload.asDeleted();
        }
        if (tenantId.isEmpty()) {
            return Optional.empty();
        }
        Freshness freshness = Freshness.of(rows.version(payload.id()), event);
        if (!freshness.applies()) {
            return Optional.empty();
        }
        boolean refetch = freshness == Freshness.TIE;
        CustomerSnapshot customer = refetch ? current(payload) : payload;
        if (!rows.upsert(tenantId.get(), customer, event, refetch)) {
            return Optional.empty();
        }
        String summary = customer.deleted()
                ? "Customer " + customer.id() + " deleted"
                : "Customer " + customer.id() + (event.type().endsWith(".created") ? " created" : " updated")
                        + (customer.email() != null ? " (" + customer.email() + ")" : "");
        return Optional.of(
                BillingChange.of(tenantId.get(), summary).withStatus(customer.deleted() ? "deleted" : "active"));
    }

    private CustomerSnapshot current(CustomerSnapshot payload) {
        return stripe.retrieveCustomer(payload.id()).map(CustomerSnapshot::from).orElseGet(payload::asDeleted);
    }
}
