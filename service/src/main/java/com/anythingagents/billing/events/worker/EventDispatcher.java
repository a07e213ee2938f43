package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.events.ActivityRecorder;
import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeEventHandler;
import com.anythingagents.billing.events.StripeEventParser;
import com.anythingagents.billing.events.TenantResolver;
import com.anythingagents.billing.events.store.ClaimedEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies one claimed event inside the caller's transaction: resolve the tenant, serialize on it,
 * run every handler of the type and record what changed. Types without a handler do nothing.
 */
@Component
class EventDispatcher {

    private final Map<String, List<StripeEventHandler>> handlersByType = new HashMap<>();

    private final TenantResolver tenants;

    private final ActivityRecorder activity;

    private final JdbcClient jdbc;

    private final JsonMapper json;

    EventDispatcher(
            List<StripeEventHandler> handlers,
            TenantResolver tenants,
            ActivityRecorder activity,
            JdbcClient jdbc,
            JsonMapper json) {
        handlers.forEach(handler -> handler.eventTypes()
                .forEach(type -> handlersByType
                        .computeIfAbsent(type, t -> new java.util.ArrayList<>())
                        .add(handler)));
        this.tenants = tenants;
        this.activity = activity;
        this.jdbc = jdbc;
        this.json = json;
    }

    /** @return the tenant the event was resolved to */
    Optional<String> dispatch(ClaimedEvent claimed) {
        return apply(toStripeEvent(claimed)).tenant();
    }

    /** What applying one event did: its tenant and the changes recorded in the activity ledger. */
    record Applied(Optional<String> tenant, List<BillingChange> changes) {}

    /** Applies a parsed event in the caller's transaction (the worker's, or a test's). */
    Applied apply(StripeEvent event) {
        Optional<String> tenant = tenants.resolve(event);
        // Resolved before locking (resolution only reads), so an invoice without metadata serializes
        // with its tenant's subscription events; no tenant: the customer, else the object itself.
        String lockKey = tenant.map(t -> "tenant:" + t)
                .or(() -> event.customerId().map(c -> "customer:" + c))
                .orElse("object:" + Optional.ofNullable(event.objectId()).orElse(event.id()));
        jdbc.sql("select pg_advisory_xact_lock(hashtext(?))")
                .param(lockKey)
                .query()
                .listOfRows();
        List<BillingChange> changes = new java.util.ArrayList<>();
        for (StripeEventHandler handler : handlersByType.getOrDefault(event.type(), List.of())) {
            handler.handle(event, tenant).ifPresent(change -> {
                activity.record(event, change);
                changes.add(change);
            });
        }
        return new Applied(tenant, List.copyOf(changes));
    }

    boolean handles(String type) {
        return handlersByType.containsKey(type);
    }

    private StripeEvent toStripeEvent(ClaimedEvent claimed) {
        // the stored payload is the event as Stripe sent it: one parser for every source
        return StripeEventParser.parse(json.readTree(claimed.payload()));
    }
}
