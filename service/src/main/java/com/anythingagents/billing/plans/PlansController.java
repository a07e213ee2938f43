package com.anythingagents.billing.plans;

import com.anythingagents.billing.security.Caller;
import com.anythingagents.billing.security.TenantAccess;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The plans a tenant can subscribe to: the configured price map, described by Stripe. */
@RestController
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class PlansController {

    private final Catalog catalog;

    PlansController(Catalog catalog) {
        this.catalog = catalog;
    }

    record Plans(List<Catalog.Plan> plans) {}

    @GetMapping("/api/v1/billing/plans")
    @Operation(
            summary = "Plans on offer",
            description = "Each configured plan with its Stripe price (amount in minor units, currency, interval),"
                    + " product name and the usage features billed with it. Read from Stripe and cached."
                    + " Roles: owner, admin, member, viewer.")
    @ApiResponse(responseCode = "200", description = "The plans")
    Plans plans(Caller caller) {
        TenantAccess.reader(caller);
        return new Plans(catalog.plans());
    }
}
