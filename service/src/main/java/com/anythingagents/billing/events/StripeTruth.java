package com.anythingagents.billing.events;

import com.anythingagents.billing.stripe.StripeFailure;
import com.anythingagents.billing.stripe.StripeGateway;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The current state of a Stripe object, for handlers that cannot trust an event's snapshot (a tie
 * in event time, an incomplete payload). Other Stripe failures propagate, so the worker rolls the
 * event back and retries it later.
 */
@Component
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
public class StripeTruth {

    private final StripeGateway gateway;

    StripeTruth(StripeGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * @param path e.g. {@code /v1/subscriptions/sub_123}
     * @return the object as Stripe returns it (the shape of {@code data.object}), or empty when
     *     Stripe says it no longer exists ({@code resource_missing})
     */
    public Optional<JsonNode> current(String path) {
        try {
            return Optional.of(gateway.get(path));
        } catch (StripeFailure.Invalid ex) {
            if ("resource_missing".equals(ex.code())) {
                return Optional.empty();
            }
            throw ex;
        }
    }
}
