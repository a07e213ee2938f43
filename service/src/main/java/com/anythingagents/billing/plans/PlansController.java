package com.anythingagents.billing.plans;

import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.security.Caller;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The plans a tenant can subscribe to: the configured plan code → Stripe price map. */
@RestController
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class PlansController {

    private final ServiceSettings settings;

    PlansController(ServiceSettings settings) {
        this.settings = settings;
    }

    @GetMapping("/api/v1/billing/plans")
    Plans plans(Caller caller) {
        caller.requireTenant();
        List<Plan> plans = settings.stripe().orElseThrow().prices().pricesByPlan().entrySet().stream()
                .map(e -> new Plan(e.getKey(), e.getValue()))
                .toList();
        return new Plans(plans);
    }

    record Plan(String planCode, String stripePriceId) {}

    record Plans(List<Plan> plans) {}
}
