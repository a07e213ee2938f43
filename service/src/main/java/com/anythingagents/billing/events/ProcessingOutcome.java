package com.anythingagents.billing.events;

import java.time.Instant;
import java.util.Optional;

/**
 * What one processing attempt of an event ended in.
 * @param nextAttempt when a retry is scheduled
 */
public record ProcessingOutcome(
        String stripeEventId, Result result, int attempts, Optional<String> error, Optional<Instant> nextAttempt) {

    public enum Result {
        PROCESSED,
        RETRY_SCHEDULED,
        /** Failed on its last allowed attempt: waits for a replay. */
        DEAD,
        /** Another worker took the row over (our lease had expired); nothing was written. */
        LEASE_LOST,
        /**
         * An older event of the same Stripe customer is still to be applied elsewhere: given back
         * unprocessed (attempt not counted) and claimed again after it, so a customer's events apply
         * in order.
         */
        DEFERRED
    }

    /** One line for operators: {@code evt_123 failed (attempt 2, retry at …): IllegalStateException: …}. */
    public String describe() {
        return stripeEventId + " "
                + switch (result) {
                    case PROCESSED -> "processed";
                    case RETRY_SCHEDULED ->
                        "failed (attempt " + attempts + ", retry at " + nextAttempt.orElseThrow() + "): "
                                + error.orElse("");
                    case DEAD -> "failed for good after " + attempts + " attempts: " + error.orElse("");
                    case LEASE_LOST -> "skipped: another worker took it over";
                    case DEFERRED -> "deferred: an older event of its customer is applied first";
                };
    }
}
