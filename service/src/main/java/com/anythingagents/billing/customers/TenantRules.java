package com.anythingagents.billing.customers;

import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.TenantLinkListener;
import com.anythingagents.billing.events.TenantResolution;
import com.anythingagents.billing.events.TenantResolver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The tenant mapping rules, the one place they are enforced (also in docs/billing/stripe-runbook.md,
 * "Tenants").
 *
 * <p>Evidence, strongest first:
 * <ol>
 *   <li>the <b>link</b> of the object's Stripe customer ({@code billing_customers}): written when this
 *       service creates a customer ({@link CustomerDirectory#linkCreatedCustomer}), or established
 *       from trusted metadata (2.);
 *   <li>{@code metadata.tenant_id} on the object (for invoices, else
 *       {@code parent.subscription_details.metadata.tenant_id}, Stripe's copy of the subscription's):
 *       this service writes it on every object it creates, so it is trusted; when the object's
 *       customer has no link yet, it links the customer to that tenant;
 *   <li>a Checkout Session's {@code client_reference_id}: end users can set it on Payment Links, so
 *       on its own it never links or wins anything; it may only agree with
 *       {@code metadata.tenant_id}, which this service sets on the sessions it creates.
 * </ol>
 *
 * <p>Rules:
 * <ul>
 *   <li>Evidence that names another tenant than the one the event is processed under never wins:
 *       the event is processed, under the stronger evidence, and flagged for operators with both
 *       values ({@code stripe_events.tenant_conflict}, {@code billing_tenant_conflicts_total}). No
 *       failure, no retries.
 *   <li>A customer never moves between tenants, and so neither do its objects: a link is written
 *       once and never changed. Metadata that would move customer X from tenant A to B is refused
 *       visibly: flagged, processed under A, link unchanged. Moving a customer takes an operator.
 *   <li>A tenant may get a new customer (its old one deleted, a new subscription): the new one is
 *       linked too, and the tenant's current customer is always its newest (Stripe's created), so a
 *       late event of the previous customer never points the tenant back at it.
 *   <li>When a customer is linked, what was stored for it without a tenant gets the tenant: its
 *       invoices and charges, and its events processed without a tenant are queued again and
 *       applied under it (every {@link TenantLinkListener} is told, in the linking transaction).
 *   <li>Linking runs under the customer's lock, the same lock the worker holds while it applies the
 *       customer's events.
 * </ul>
 * Without a customer (products, prices) trusted metadata alone decides; with no trusted evidence
 * the event is processed without a tenant.
 */
@Component
class TenantRules implements TenantResolver {

    /** Before Stripe existed: a customer whose creation is not known yet is nobody's newest. */
    static final Instant UNKNOWN_CREATION = Instant.EPOCH;

    private final CustomerRows customers;

    private final List<TenantLinkListener> listeners;

    TenantRules(CustomerRows customers, List<TenantLinkListener> listeners) {
        this.customers = customers;
        this.listeners = listeners;
    }

    @Override
    public Map<String, String> tenantsOf(Collection<String> stripeCustomerIds) {
        return customers.tenantsOf(stripeCustomerIds);
    }

    @Override
    public TenantResolution resolve(StripeEvent event, Optional<String> linkedTenant) {
        Map<String, String> hints = hints(event.object());
        Optional<String> customer = event.customerId();
        List<String> conflicts = new ArrayList<>();
        if (linkedTenant.isPresent()) {
            String tenant = linkedTenant.get();
            hints.forEach((source, named) -> {
                if (!named.equals(tenant)) {
                    conflicts.add(source + " names tenant " + named + " but customer " + customer.orElseThrow()
                            + " belongs to tenant " + tenant + ": processed under " + tenant + ", link unchanged");
                }
            });
            return new TenantResolution(linkedTenant, conflict(conflicts), false);
        }
        Optional<String> trusted = trusted(hints, conflicts);
        if (trusted.isEmpty() || customer.isEmpty()) {
            return new TenantResolution(trusted, conflict(conflicts), false);
        }
        boolean linked = link(trusted.get(), customer.get(), createdOf(event), CustomerRows.LinkedBy.METADATA);
        if (!linked) {
            // linked meanwhile (not under our lock: a bug elsewhere); the link still wins. Read once: a
            // link that stopped ours but cannot be seen is not something to loop on
            Optional<String> winner = customers.tenantOf(customer.get());
            if (winner.isEmpty()) {
                throw new IllegalStateException("Could not link customer " + customer.get() + " to tenant "
                        + trusted.get() + ": another link stopped it but is not there when read again;"
                        + " the event is retried");
            }
            return resolve(event, winner);
        }
        return new TenantResolution(trusted, conflict(conflicts), true);
    }

    @Override
    public Optional<String> knownTenant(StripeEvent event) {
        Optional<String> linked = event.customerId().flatMap(customers::tenantOf);
        return linked.isPresent() ? linked : trusted(hints(event.object()), new ArrayList<>());
    }

    /**
     * Links a customer to a tenant unless it is linked already, and tells the listeners. The
     * caller holds the customer's lock.
     * @return whether the link was added
     */
    boolean link(String tenantId, String customerId, Instant customerCreated, CustomerRows.LinkedBy linkedBy) {
        if (!customers.link(tenantId, customerId, customerCreated, linkedBy)) {
            return false;
        }
        listeners.forEach(listener -> listener.customerLinked(customerId, tenantId));
        return true;
    }

    /** The tenant evidence on the object, by where it was found (strongest first). */
    private static Map<String, String> hints(JsonNode object) {
        Map<String, String> hints = new LinkedHashMap<>();
        String kind = object.path("object").asString("");
        text(object.path("metadata").path("tenant_id")).ifPresent(t -> hints.put("metadata.tenant_id", t));
        if ("invoice".equals(kind)) {
            text(object.path("parent")
                            .path("subscription_details")
                            .path("metadata")
                            .path("tenant_id"))
                    .ifPresent(t -> hints.put("parent.subscription_details.metadata.tenant_id", t));
        }
        if ("checkout.session".equals(kind)) {
            text(object.path("client_reference_id")).ifPresent(t -> hints.put("client_reference_id", t));
        }
        return hints;
    }

    /** Metadata the service wrote, strongest first; client_reference_id never counts on its own. */
    private static Optional<String> trusted(Map<String, String> hints, List<String> conflicts) {
        Optional<String> trusted = hints.entrySet().stream()
                .filter(h -> !h.getKey().equals("client_reference_id"))
                .map(Map.Entry::getValue)
                .findFirst();
        hints.forEach((source, named) -> {
            if (trusted.isPresent() && !named.equals(trusted.get())) {
                conflicts.add(source + " names tenant " + named + " but " + sourceOf(hints, trusted.get())
                        + " names tenant " + trusted.get() + ": processed under " + trusted.get());
            } else if (trusted.isEmpty()) {
                conflicts.add(source + " names tenant " + named
                        + " but no metadata.tenant_id confirms it: not trusted, processed without a tenant");
            }
        });
        return trusted;
    }

    private static String sourceOf(Map<String, String> hints, String tenant) {
        return hints.entrySet().stream()
                .filter(h -> h.getValue().equals(tenant))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
    }

    /**
     * When the customer was created, which orders a tenant's customers (its newest is current). A
     * customer object says so. Otherwise it is unknown until a customer event tells, and taken as
     * older than any real customer: a late event of a tenant's old customer, linked only now, must
     * not make it the current one.
     */
    private static Instant createdOf(StripeEvent event) {
        JsonNode object = event.object();
        JsonNode created = object.path("created");
        if ("customer".equals(object.path("object").asString(null)) && created.isIntegralNumber()) {
            return Instant.ofEpochSecond(created.asLong());
        }
        return UNKNOWN_CREATION;
    }

    private static Optional<String> conflict(List<String> conflicts) {
        return conflicts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", conflicts));
    }

    private static Optional<String> text(JsonNode node) {
        return node.isString() && !node.asString().isBlank() ? Optional.of(node.asString()) : Optional.empty();
    }
}
