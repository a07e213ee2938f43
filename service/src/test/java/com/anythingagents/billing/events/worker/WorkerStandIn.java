package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.StripeEvent;
import java.util.List;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies one event through the worker's own dispatcher (tenant lock, resolver, handlers,
 * activity) in a transaction, without the store's claim and status bookkeeping, so handler tests
 * can feed crafted events synchronously and see what changed.
 */
public final class WorkerStandIn {

    private final TransactionTemplate transactions;

    private final EventDispatcher dispatcher;

    private WorkerStandIn(TransactionTemplate transactions, EventDispatcher dispatcher) {
        this.transactions = transactions;
        this.dispatcher = dispatcher;
    }

    /** The stand-in over the service's own dispatcher and transactions. */
    public static WorkerStandIn from(ApplicationContext context) {
        return new WorkerStandIn(context.getBean(TransactionTemplate.class), context.getBean(EventDispatcher.class));
    }

    /** @return the changes the handlers reported (and the recorder was given) */
    public List<BillingChange> process(StripeEvent event) {
        return transactions.execute(tx -> dispatcher.apply(event).changes());
    }
}
