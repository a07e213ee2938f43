package com.anythingagents.billing.events;

/** The result of one replay: the event is unknown, busy with a worker, or was processed again. */
public sealed interface Replay {

    String stripeEventId();

    /** Whether the replay ended with the event processed. */
    default boolean processed() {
        return this instanceof Done done && done.outcome().result() == ProcessingOutcome.Result.PROCESSED;
    }

    /** One line for operators. */
    default String describe() {
        if (this instanceof Done done) {
            return done.outcome().describe();
        }
        return stripeEventId()
                + (this instanceof Busy ? " skipped: a worker is processing it right now" : " unknown (not stored)");
    }

    record Unknown(String stripeEventId) implements Replay {}

    record Busy(String stripeEventId) implements Replay {}

    record Done(ProcessingOutcome outcome) implements Replay {

        @Override
        public String stripeEventId() {
            return outcome.stripeEventId();
        }
    }
}
