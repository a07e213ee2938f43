package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.CustomerLock;
import com.anythingagents.billing.events.EventContext;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeEventHandler;
import com.anythingagents.billing.events.StripeObjectRef;
import com.anythingagents.billing.events.TenantResolution;
import com.anythingagents.billing.events.TenantResolver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Applies one event inside the caller's transaction: resolve the tenant, run every handler of the
 * type with what Stripe was asked beforehand. Types without a handler change nothing but still get
 * their tenant (the ledger shows them). Locking and recording are the caller's ({@link
 * EventApplier}).
 */
@Component
class EventDispatcher {

    private final Map<String, List<StripeEventHandler>> handlersByType = new HashMap<>();

    private final TenantResolver tenants;

    EventDispatcher(List<StripeEventHandler> handlers, TenantResolver tenants) {
        handlers.forEach(handler -> handler.eventTypes()
                .forEach(type -> handlersByType
                        .computeIfAbsent(type, t -> new ArrayList<>())
                        .add(handler)));
        this.tenants = tenants;
    }

    /**
     * What applying one event did.
     * @param conflict tenant evidence that lost, for operators (the resolver's and the handlers')
     */
    record Applied(
            StripeEvent event,
            Optional<String> tenant,
            Optional<String> customer,
            Optional<String> conflict,
            boolean linked,
            List<BillingChange> changes) {}

    /**
     * The lock that serializes an event with the others of its Stripe customer (one key per
     * customer, whatever the tenant evidence says), else with those of its object.
     */
    static String lockKey(StripeEvent event) {
        return event.customerId()
                .map(CustomerLock::key)
                .orElseGet(
                        () -> "object:" + Optional.ofNullable(event.objectId()).orElse(event.id()));
    }

    Map<String, String> tenantsOf(Set<String> customers) {
        return customers.isEmpty() ? Map.of() : tenants.tenantsOf(customers);
    }

    /** Applies the event in the caller's transaction, reading Stripe objects only from {@code fetched}. */
    Applied apply(StripeEvent event, Optional<String> linkedTenant, Fetched fetched) {
        TenantResolution resolution = tenants.resolve(event, linkedTenant);
        Context context = new Context(resolution, fetched);
        List<BillingChange> changes = new ArrayList<>();
        for (StripeEventHandler handler : handlersByType.getOrDefault(event.type(), List.of())) {
            handler.handle(event, context).ifPresent(changes::add);
        }
        List<String> conflicts = new ArrayList<>();
        resolution.conflict().ifPresent(conflicts::add);
        conflicts.addAll(context.flagged);
        return new Applied(
                event,
                resolution.tenant(),
                event.customerId(),
                conflicts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", conflicts)),
                resolution.linked(),
                List.copyOf(changes));
    }

    /**
     * The objects worth reading from Stripe before applying these events: those whose payload the
     * handler cannot trust, and those two events of the batch change within one second (a tie
     * that only Stripe's current state settles). A tie with a row written earlier is found only
     * while applying; the applier then reads the object and applies again.
     */
    Set<StripeObjectRef> likelyReads(List<StripeEvent> events) {
        Set<StripeObjectRef> reads = new LinkedHashSet<>();
        Map<StripeObjectRef, Map<Instant, Set<String>>> eventsBySecond = new HashMap<>();
        for (StripeEvent event : events) {
            for (StripeEventHandler handler : handlersByType.getOrDefault(event.type(), List.of())) {
                handler.tracks(event).ifPresent(object -> {
                    if (handler.needsCurrent(event)) {
                        reads.add(object);
                    }
                    Set<String> sameSecond = eventsBySecond
                            .computeIfAbsent(object, o -> new HashMap<>())
                            .computeIfAbsent(event.created(), c -> new HashSet<>());
                    sameSecond.add(event.id());
                    if (sameSecond.size() > 1) {
                        reads.add(object);
                    }
                });
            }
        }
        return reads;
    }

    private static final class Context implements EventContext {

        private final TenantResolution resolution;

        private final Fetched fetched;

        private final List<String> flagged = new ArrayList<>();

        Context(TenantResolution resolution, Fetched fetched) {
            this.resolution = resolution;
            this.fetched = fetched;
        }

        @Override
        public Optional<String> tenant() {
            return resolution.tenant();
        }

        @Override
        public boolean customerLinked() {
            return resolution.linked();
        }

        @Override
        public Optional<JsonNode> current(StripeObjectRef object) {
            return fetched.current(object);
        }

        @Override
        public void flagConflict(String message) {
            flagged.add(message);
        }
    }
}
