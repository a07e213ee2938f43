package com.anythingagents.billing.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * TEST STAND-IN for the event worker (which lives with the webhook intake): processes one event
 * the way the worker does, in one transaction: the tenant's advisory lock, the tenant resolver,
 * every handler of the event's type, the activity recorder. Not a bean, so component scanning
 * of test classes never wires it into the service.
 */
public final class WorkerStandIn {

    private final TransactionTemplate transactions;

    private final JdbcClient jdbc;

    private final TenantResolver resolver;

    private final List<StripeEventHandler> handlers;

    private final ActivityRecorder recorder;

    public WorkerStandIn(
            TransactionTemplate transactions,
            JdbcClient jdbc,
            TenantResolver resolver,
            List<StripeEventHandler> handlers,
            ActivityRecorder recorder) {
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.resolver = resolver;
        this.handlers = List.copyOf(handlers);
        this.recorder = recorder;
    }

    /** @return the changes the handlers reported (and the recorder was given) */
    public List<BillingChange> process(StripeEvent event) {
        return transactions.execute(tx -> {
            Optional<String> tenant = resolver.resolve(event);
            tenant.ifPresent(this::lockTenant);
            List<BillingChange> changes = new ArrayList<>();
            for (StripeEventHandler handler : handlers) {
                if (handler.eventTypes().contains(event.type())) {
                    handler.handle(event, tenant).ifPresent(change -> {
                        recorder.record(event, change);
                        changes.add(change);
                    });
                }
            }
            return changes;
        });
    }

    private void lockTenant(String tenant) {
        jdbc.sql("select 1 from (select pg_advisory_xact_lock(hashtextextended(?, 0))) locked")
                .param(tenant)
                .query(Integer.class)
                .single();
    }
}
