package com.anythingagents.billing.stripe;

import java.util.Objects;
import java.util.Optional;

/**
 * Changes to an existing subscription: a new price and/or quantity on its plan item, the
 * cancel-at-period-end flag, and how Stripe prorates them. A new price also updates
 * {@code metadata.plan_code}.
 */
public record SubscriptionChange(
        String planItemId,
        Optional<String> priceId,
        Optional<String> planCode,
        Optional<Long> quantity,
        Optional<Boolean> cancelAtPeriodEnd,
        Proration proration) {

    /** Stripe's {@code proration_behavior}. */
    public enum Proration {
        CREATE_PRORATIONS("create_prorations"),
        ALWAYS_INVOICE("always_invoice"),
        NONE("none");

        private final String stripeValue;

        Proration(String stripeValue) {
            this.stripeValue = stripeValue;
        }

        public String stripeValue() {
            return stripeValue;
        }

        /** The value as the API and Stripe spell it, e.g. {@code create_prorations}. */
        public static Optional<Proration> of(String value) {
            for (Proration p : values()) {
                if (p.stripeValue.equals(value)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }
    }

    public SubscriptionChange {
        Objects.requireNonNull(planItemId, "planItemId");
        Objects.requireNonNull(proration, "proration");
    }
}
