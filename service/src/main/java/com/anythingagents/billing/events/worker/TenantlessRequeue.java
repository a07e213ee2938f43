package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.events.ActivityRecorder;
import com.anythingagents.billing.events.TenantLinkListener;
import com.anythingagents.billing.events.store.EventQueue;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * When a customer is linked to a tenant, the events of that customer that were processed without
 * a tenant are queued again (they are applied idempotently, now under the tenant: rows that were
 * not stored without one appear, the event's ledger entry gets the tenant) and their activity rows
 * get the tenant. Runs in the linking transaction; the worker is woken once it commits.
 */
@Component
class TenantlessRequeue implements TenantLinkListener {

    private static final Logger log = LoggerFactory.getLogger(TenantlessRequeue.class);

    private final EventQueue queue;

    private final ActivityRecorder activity;

    // lazily: the worker's own chain of beans reaches this listener through the tenant resolver
    private final ObjectProvider<EventWorker> worker;

    private final Clock clock;

    TenantlessRequeue(EventQueue queue, ActivityRecorder activity, ObjectProvider<EventWorker> worker, Clock clock) {
        this.queue = queue;
        this.activity = activity;
        this.worker = worker;
        this.clock = clock;
    }

    @Override
    public void customerLinked(String stripeCustomerId, String tenantId) {
        List<String> requeued = queue.requeueTenantless(stripeCustomerId, clock.instant());
        if (requeued.isEmpty()) {
            return;
        }
        activity.assignTenant(tenantId, requeued);
        log.info(
                "Customer {} linked to tenant {}: {} of its events processed without a tenant are queued again",
                stripeCustomerId,
                tenantId,
                requeued.size());
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    worker.ifAvailable(EventWorker::wake);
                }
            });
        }
    }
}
