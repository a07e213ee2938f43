package com.anythingagents.billing.customers;

import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.EventContext;
import com.anythingagents.billing.events.Freshness;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeEventHandler;
import com.anythingagents.billing.events.StripeObjectRef;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Keeps a linked customer's row (email, deleted) forward only. The link itself is {@link
 * TenantRules}' (the customer's own {@code metadata.tenant_id} links it); a customer without a
 * tenant has no row and reports no change (its events are applied again once it is linked).
 */
@Component
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class CustomerEvents implements StripeEventHandler {

    private final CustomerRows rows;

    CustomerEvents(CustomerRows rows) {
        this.rows = rows;
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("customer.created", "customer.updated", "customer.deleted");
    }

    @Override
    public Optional<StripeObjectRef> tracks(StripeEvent event) {
        return Optional.ofNullable(event.objectId()).map(StripeObjectRef::customer);
    }

    @Override
    public Optional<BillingChange> handle(StripeEvent event, EventContext context) {
        if (context.tenant().isEmpty()) {
            return Optional.empty();
        }
        CustomerSnapshot customer = CustomerSnapshot.from(event.object());
        if ("customer.deleted".equals(event.type())) {
            customer = customer.asDeleted();
        }
        // one statement when the event is newer than the row; the version is read only when it is not
        if (!rows.update(customer, event, false)) {
            if (Freshness.of(rows.version(customer.id()), event) != Freshness.TIE) {
                return Optional.empty();
            }
            CustomerSnapshot payload = customer;
            customer = context.current(StripeObjectRef.customer(customer.id()))
                    .map(CustomerSnapshot::from)
                    .orElseGet(payload::asDeleted);
            if (!rows.update(customer, event, true)) {
                return Optional.empty();
            }
        }
        String summary = customer.deleted()
                ? "Customer " + customer.id() + " deleted"
                : "Customer " + customer.id() + (event.type().endsWith(".created") ? " created" : " updated")
                        + (customer.email() != null ? " (" + customer.email() + ")" : "");
        return Optional.of(BillingChange.of(context.tenant().get(), summary)
                .withStatus(customer.deleted() ? "deleted" : "active"));
    }
}
