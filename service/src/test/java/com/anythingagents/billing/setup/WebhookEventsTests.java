package com.anythingagents.billing.setup;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.events.StripeEventHandler;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** An endpoint created by setup subscribes to exactly the event types the service's handlers apply. */
@BillingServiceTest
class WebhookEventsTests {

    @Autowired
    List<StripeEventHandler> handlers;

    @Test
    void theEndpointsEventsAreTheHandlersEventTypes() {
        Set<String> handled = new TreeSet<>();
        handlers.forEach(h -> handled.addAll(h.eventTypes()));
        handled.removeIf(type -> !type.contains(".") || type.startsWith("test."));

        assertThat(new TreeSet<>(WebhookEvents.HANDLED)).isEqualTo(handled);
    }
}
