package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.events.StripeObjectRef;
import com.anythingagents.billing.stripe.StripeGateway;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;

/**
 * Reads objects from Stripe for the worker, before its transaction opens and outside any lock,
 * paced to {@code BILLING_WORKER_STRIPE_READS_PER_SECOND} for the whole instance (Stripe's read
 * limit is per account: 25/s in test mode, 100/s live). A failed read is kept as the answer for
 * that object, so only the events that need it fail, each with that error.
 */
@Component
class StripeReads {

    private final ObjectProvider<StripeGateway> gateway;

    private final long nanosPerRead;

    private final EventMetrics metrics;

    private long nextSlot;

    StripeReads(ObjectProvider<StripeGateway> gateway, WorkerSettings settings, EventMetrics metrics) {
        this.gateway = gateway;
        this.nanosPerRead = TimeUnit.SECONDS.toNanos(1) / settings.stripeReadsPerSecond();
        this.metrics = metrics;
    }

    /** Reads each object not read yet into {@code into}. */
    void read(Collection<StripeObjectRef> objects, Fetched into) {
        for (StripeObjectRef object : objects) {
            if (!into.has(object)) {
                into.put(object, read(object));
            }
        }
    }

    private Fetched.Result read(StripeObjectRef object) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Stripe is never called inside a database transaction");
        }
        StripeGateway stripe = gateway.getIfAvailable();
        if (stripe == null) {
            return new Fetched.Result(Optional.empty(), new IllegalStateException("billing is disabled: no Stripe"));
        }
        pace();
        try {
            Optional<JsonNode> current = switch (object.type()) {
                case CUSTOMER -> stripe.retrieveCustomer(object.id());
                case SUBSCRIPTION -> stripe.retrieveSubscription(object.id());
                case INVOICE -> stripe.retrieveInvoice(object.id());
                case CHARGE -> stripe.retrieveCharge(object.id());
            };
            metrics.stripeRead(true);
            return new Fetched.Result(current, null);
        } catch (RuntimeException ex) {
            metrics.stripeRead(false);
            return new Fetched.Result(Optional.empty(), ex);
        }
    }

    /** Waits for this instance's next read slot: reads are spread evenly, never bursting past the limit. */
    private void pace() {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextSlot);
            nextSlot = slot + nanosPerRead;
            wait = slot - now;
        }
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to read from Stripe", ex);
            }
        }
    }
}
