package com.anythingagents.billing.subscriptions;

import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.customers.CustomerDirectory;
import com.anythingagents.billing.security.Caller;
import com.anythingagents.billing.security.TenantAccess;
import com.anythingagents.billing.stripe.StripeGateway;
import com.anythingagents.billing.web.ApiError;
import com.anythingagents.billing.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Stripe Billing Portal session for the tenant's customer: Stripe's own pages to change the
 * card, the plan or cancel; what changes there reaches this service through Stripe's events.
 */
@RestController
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class PortalController {

    private final CustomerDirectory customers;

    private final StripeGateway stripe;

    private final Optional<URI> returnUrl;

    PortalController(CustomerDirectory customers, StripeGateway stripe, ServiceSettings settings) {
        this.customers = customers;
        this.stripe = stripe;
        this.returnUrl = settings.api().returnUrl();
    }

    record PortalRequest(
            @Schema(description = "Default: BILLING_RETURN_URL")
            String returnUrl) {}

    record PortalResponse(String url) {}

    @PostMapping("/api/v1/billing/portal")
    @Operation(summary = "Open the Stripe Billing Portal", description = "Roles: owner, admin.")
    @ApiResponse(responseCode = "201", description = "Open the url")
    @ApiResponse(
            responseCode = "409",
            description = "no_customer",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    ResponseEntity<PortalResponse> portal(Caller caller, @RequestBody(required = false) PortalRequest request) {
        String tenant = TenantAccess.writer(caller);
        URI back = SubscriptionsController.url("return_url", request == null ? null : request.returnUrl())
                .or(() -> returnUrl)
                .orElseThrow(() -> ApiException.invalidField("return_url", "is required (or set BILLING_RETURN_URL)"));
        String customer = customers.currentCustomer(tenant).orElseThrow(ApiException::noCustomer);
        // nothing local to reserve: a portal session changes nothing; a client retry with the same
        // Idempotency-Key is answered from the first response
        String url = stripe.createPortalSession(customer, back.toString(), "portal:" + UUID.randomUUID())
                .path("url")
                .asString();
        return ResponseEntity.status(HttpStatus.CREATED).body(new PortalResponse(url));
    }
}
