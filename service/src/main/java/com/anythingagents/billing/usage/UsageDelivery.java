package com.anythingagents.billing.usage;

import com.anythingagents.billing.config.UsageSettings;
import com.anythingagents.billing.stripe.MeterEvent;
import com.anythingagents.billing.stripe.StripeFailure;
import com.anythingagents.billing.stripe.StripeGateway;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends one chunk of claimed usage to Stripe and says what became of each record. Through the v2
 * stream a chunk is one call: taken whole, or refused whole (then each event goes through v1, whose
 * answers are per event, so one bad record cannot hold back the others). Stripe's "an event with
 * this identifier already exists" is a delivery: it has the event from an earlier attempt.
 */
final class UsageDelivery {

    private final StripeGateway stripe;

    private final UsageSettings.Transport transport;

    UsageDelivery(StripeGateway stripe, UsageSettings.Transport transport) {
        this.stripe = stripe;
        this.transport = transport;
    }

    /** The largest chunk {@link #deliver} takes. */
    static int maxChunk() {
        return StripeGateway.maxStreamBatch();
    }

    /**
     * A record and why it was not delivered.
     * @param maybeSent the send may have reached Stripe all the same (a timeout, a 5xx, a dropped
     *     connection): Stripe may have counted it
     */
    record Undelivered(ClaimedUsage usage, String reason, boolean maybeSent) {

        Undelivered(ClaimedUsage usage, String reason) {
            this(usage, reason, false);
        }
    }

    /**
     * @param refused Stripe refused them: retrying cannot help
     * @param retry not delivered this time (Stripe unreachable, failing, rate limiting, …)
     */
    record Result(List<ClaimedUsage> delivered, List<Undelivered> refused, List<Undelivered> retry) {}

    Result deliver(List<ClaimedUsage> chunk) {
        Result result = new Result(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        if (transport == UsageSettings.Transport.STREAM) {
            try {
                stripe.streamMeterEvents(
                        chunk.stream().map(ClaimedUsage::meterEvent).toList());
                result.delivered().addAll(chunk);
                return result;
            } catch (StripeFailure.Invalid refusedBatch) {
                // one event spoils the batch for all: find it, event by event
            } catch (StripeFailure failure) {
                chunk.forEach(u -> result.retry().add(new Undelivered(u, describe(failure), maybeSent(failure))));
                return result;
            }
        }
        oneByOne(chunk, result);
        return result;
    }

    private void oneByOne(List<ClaimedUsage> chunk, Result result) {
        for (int i = 0; i < chunk.size(); i++) {
            ClaimedUsage usage = chunk.get(i);
            MeterEvent event = usage.meterEvent();
            try {
                stripe.createMeterEvent(event);
                result.delivered().add(usage);
            } catch (StripeFailure.Invalid refused) {
                result.refused().add(new Undelivered(usage, describe(refused)));
            } catch (StripeFailure failure) {
                // Stripe is down or pushing back: the rest of the chunk waits too, rather than hammer it
                result.retry().add(new Undelivered(usage, describe(failure), maybeSent(failure)));
                for (ClaimedUsage rest : chunk.subList(i + 1, chunk.size())) {
                    result.retry().add(new Undelivered(rest, describe(failure))); // never sent
                }
                return;
            }
        }
    }

    /** Rate limited or not authorized: Stripe did not take it. Anything else may have reached it. */
    private static boolean maybeSent(StripeFailure failure) {
        return failure instanceof StripeFailure.Unavailable;
    }

    private static String describe(StripeFailure failure) {
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
