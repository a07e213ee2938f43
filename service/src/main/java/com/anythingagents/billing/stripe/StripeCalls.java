package com.anythingagents.billing.stripe;

import com.stripe.exception.StripeException;
import com.stripe.model.StripeObjectInterface;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one SDK call: refuses to run inside a database transaction (a slow Stripe would hold the
 * transaction's locks and connection), times it per operation and outcome, and translates the
 * SDK's exception into a {@link StripeFailure}. A rejected API key is logged once as the
 * configuration error it is, without the key.
 */
final class StripeCalls {

    private static final Logger log = LoggerFactory.getLogger(StripeCalls.class);

    private final StripeMetrics metrics;

    private final JsonMapper json;

    private final AtomicBoolean authenticationLogged = new AtomicBoolean();

    StripeCalls(StripeMetrics metrics, JsonMapper json) {
        this.metrics = metrics;
        this.json = json;
    }

    /** An SDK call whose typed result is dropped for its raw JSON. */
    @FunctionalInterface
    interface ObjectCall {
        StripeObjectInterface execute() throws StripeException;
    }

    /** An SDK call without a body worth keeping (the v2 meter event stream answers {@code {}}). */
    @FunctionalInterface
    interface VoidCall {
        void execute() throws StripeException;
    }

    /**
     * Stripe's raw JSON rather than the typed model: it matches event payloads field for field,
     * whatever the SDK's own API version.
     */
    JsonNode json(String operation, ObjectCall call) {
        JsonNode[] body = new JsonNode[1];
        run(
                operation,
                () -> body[0] = json.readTree(call.execute().getLastResponse().body()));
        return body[0];
    }

    /**
     * A read, allowed inside a transaction (the event worker's handlers of today re-fetch there; a
     * read changes nothing in Stripe, so a retry after a rollback is harmless).
     */
    JsonNode jsonRead(String operation, ObjectCall call) {
        JsonNode[] body = new JsonNode[1];
        timed(
                operation,
                () -> body[0] = json.readTree(call.execute().getLastResponse().body()));
        return body[0];
    }

    void run(String operation, VoidCall call) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Stripe is never called inside a database transaction (" + operation + ")");
        }
        timed(operation, call);
    }

    private void timed(String operation, VoidCall call) {
        long started = System.nanoTime();
        try {
            call.execute();
            metrics.record(operation, StripeMetrics.OK, Duration.ofNanos(System.nanoTime() - started));
        } catch (StripeException ex) {
            StripeFailure failure = StripeFailure.from(ex);
            metrics.record(operation, StripeMetrics.outcome(failure), Duration.ofNanos(System.nanoTime() - started));
            if (failure instanceof StripeFailure.Unauthorized && authenticationLogged.compareAndSet(false, true)) {
                // Stripe's message names the key (masked); ours names the variable only
                log.error(
                        "Stripe rejected this service's API key ({} on {}): check STRIPE_SECRET_KEY and its "
                                + "permissions. Billing calls fail with 500 until it is fixed; this is logged once.",
                        ex.getClass().getSimpleName(),
                        operation);
            }
            throw failure;
        }
    }
}
