package com.anythingagents.billing.customers;

import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.TenantResolver;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Which tenant an event belongs to, most direct evidence first:
 * <ol>
 *   <li>{@code metadata.tenant_id} on the object itself: this service writes it on every customer,
 *       subscription and checkout session it creates;
 *   <li>for invoices, {@code parent.subscription_details.metadata.tenant_id}: Stripe's snapshot of
 *       the subscription's metadata when the invoice was made. It is second because the invoice's
 *       own metadata, if set, is the more specific statement, and it may be stale if the
 *       subscription's metadata changed since;
 *   <li>for checkout sessions, {@code client_reference_id}, the tenant this service passed in;
 *   <li>the local mapping of the object's Stripe customer (deleted customers included, so their
 *       late invoices and charges still find the tenant).
 * </ol>
 * Otherwise none: the event is processed unassigned.
 */
@Component
class StripeTenantResolver implements TenantResolver {

    private final CustomerRows customers;

    StripeTenantResolver(CustomerRows customers) {
        this.customers = customers;
    }

    @Override
    public Optional<String> resolve(StripeEvent event) {
        JsonNode object = event.object();
        String kind = object.path("object").asString("");
        return tenantIn(object.path("metadata"))
                .or(() -> "invoice".equals(kind)
                        ? tenantIn(object.path("parent")
                                .path("subscription_details")
                                .path("metadata"))
                        : Optional.empty())
                .or(() -> "checkout.session".equals(kind)
                        ? nonBlank(object.path("client_reference_id"))
                        : Optional.empty())
                .or(() -> event.customerId().flatMap(customers::tenantOf));
    }

    private static Optional<String> tenantIn(JsonNode metadata) {
        return nonBlank(metadata.path("tenant_id"));
    }

    private static Optional<String> nonBlank(JsonNode node) {
        return node.isString() && !node.asString().isBlank() ? Optional.of(node.asString()) : Optional.empty();
    }
}
