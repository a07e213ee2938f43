package com.anythingagents.billing.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** With billing off, every billing route says so instead of a bare 404. */
@RestController
@ConditionalOnProperty(name = "billing.enabled", havingValue = "false")
class BillingDisabledController {

    @RequestMapping("/api/v1/billing/**")
    void disabled() {
        throw new ApiException(
                HttpStatus.SERVICE_UNAVAILABLE,
                "billing_disabled",
                "Billing is disabled on this service (set ENABLE_BILLING=true and the Stripe settings to enable it)");
    }
}
