package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.StripeEvent;
import java.util.List;
import org.springframework.context.ApplicationContext;

/**
 * Applies one event through the worker's own applier (customer lock, tenant rules, handlers,
 * activity, Stripe reads before the transaction) without the store's claim and status bookkeeping,
 * so handler tests can feed crafted events synchronously and see what changed.
 */
public final class WorkerStandIn {

    private final EventApplier applier;

    private WorkerStandIn(EventApplier applier) {
        this.applier = applier;
    }

    /** The stand-in over the service's own applier. */
    public static WorkerStandIn from(ApplicationContext context) {
        return new WorkerStandIn(context.getBean(EventApplier.class));
    }

    /** @return the changes the handlers reported (and the recorder was given) */
    public List<BillingChange> process(StripeEvent event) {
        return applier.applyDetached(event);
    }
}
