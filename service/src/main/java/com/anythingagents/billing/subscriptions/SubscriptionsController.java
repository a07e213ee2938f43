package com.anythingagents.billing.subscriptions;

import com.anythingagents.billing.security.Caller;
import com.anythingagents.billing.security.TenantAccess;
import com.anythingagents.billing.stripe.SubscriptionChange;
import com.anythingagents.billing.web.ApiError;
import com.anythingagents.billing.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A tenant's subscription: read it, start it (directly or through Checkout), change it, cancel it. */
@RestController
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class SubscriptionsController {

    static final int MAX_QUANTITY = 100_000;

    /** Stripe's longest trial. */
    static final int MAX_TRIAL_DAYS = 730;

    private final SubscriptionOperations operations;

    private final TenantSubscriptions subscriptions;

    SubscriptionsController(SubscriptionOperations operations, TenantSubscriptions subscriptions) {
        this.operations = operations;
        this.subscriptions = subscriptions;
    }

    record SubscriptionResponse(Subscription subscription) {}

    record StartRequest(
            @NotBlank @Schema(example = "starter") String planCode,

            @Min(1) @Max(MAX_QUANTITY) @Schema(defaultValue = "1")
            Long quantity,

            @Email String billingEmail,
            @Min(1) @Max(MAX_TRIAL_DAYS) Integer trialDays) {}

    record CheckoutRequest(
            @NotBlank @Schema(example = "pro") String planCode,

            @Min(1) @Max(MAX_QUANTITY) @Schema(defaultValue = "1")
            Long quantity,

            @Schema(description = "Default: BILLING_RETURN_URL")
            String successUrl,

            @Schema(description = "Default: BILLING_RETURN_URL")
            String cancelUrl) {}

    record CheckoutResponse(String checkoutSessionId, String url) {}

    record UpdateRequest(
            String planCode,
            @Min(1) @Max(MAX_QUANTITY) Long quantity,
            Boolean cancelAtPeriodEnd,

            @Pattern(regexp = "create_prorations|always_invoice|none")
            @Schema(
                    allowableValues = {"create_prorations", "always_invoice", "none"},
                    defaultValue = "create_prorations")
            String proration) {}

    record CancelRequest(@Schema(defaultValue = "true") Boolean atPeriodEnd) {}

    @GetMapping("/api/v1/billing/subscription")
    @Operation(
            summary = "The tenant's subscription",
            description = "As Stripe's events left it (status is Stripe's own). Roles: owner, admin, member, viewer.")
    @ApiResponse(responseCode = "200", description = "The subscription")
    @ApiResponse(
            responseCode = "404",
            description = "no_subscription",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    SubscriptionResponse subscription(Caller caller) {
        return new SubscriptionResponse(subscriptions
                .find(TenantAccess.reader(caller))
                .orElseThrow(() ->
                        new ApiException(HttpStatus.NOT_FOUND, "no_subscription", "The tenant has no subscription")));
    }

    @PostMapping("/api/v1/billing/start")
    @Operation(
            summary = "Start a plan",
            description = "Creates the tenant's Stripe customer (once; metadata.tenant_id) and a subscription to the"
                    + " plan with the usage features' metered prices (metadata.tenant_id, plan_code). The status is"
                    + " Stripe's: trialing, active, or incomplete when the first payment did not go through."
                    + " Roles: owner, admin.")
    @ApiResponse(responseCode = "201", description = "Started")
    @ApiResponse(
            responseCode = "400",
            description = "unknown_plan (details.valid_plans)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(
            responseCode = "402",
            description = "card_declined (details.decline_code)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(
            responseCode = "409",
            description = "subscription_exists, operation_in_progress",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    ResponseEntity<SubscriptionResponse> start(Caller caller, @Valid @RequestBody StartRequest request) {
        String tenant = TenantAccess.writer(caller);
        Subscription started = operations.start(
                tenant,
                new SubscriptionOperations.Start(
                        request.planCode(),
                        Optional.ofNullable(request.quantity()).orElse(1L),
                        Optional.ofNullable(request.billingEmail()),
                        Optional.ofNullable(request.trialDays())));
        return ResponseEntity.status(HttpStatus.CREATED).body(new SubscriptionResponse(started));
    }

    @PostMapping("/api/v1/billing/checkout")
    @Operation(
            summary = "Check out a plan on Stripe's hosted page",
            description = "A Checkout Session in subscription mode for the tenant's customer (client_reference_id"
                    + " and metadata.tenant_id = the tenant); the subscription it starts arrives through Stripe's"
                    + " events. Roles: owner, admin.")
    @ApiResponse(responseCode = "201", description = "Open the url to pay")
    @ApiResponse(
            responseCode = "400",
            description = "unknown_plan (details.valid_plans)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(
            responseCode = "409",
            description = "subscription_exists, operation_in_progress",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    ResponseEntity<CheckoutResponse> checkout(Caller caller, @Valid @RequestBody CheckoutRequest request) {
        String tenant = TenantAccess.writer(caller);
        SubscriptionOperations.CheckoutStarted started = operations.checkout(
                tenant,
                new SubscriptionOperations.Checkout(
                        request.planCode(),
                        Optional.ofNullable(request.quantity()).orElse(1L),
                        url("success_url", request.successUrl()),
                        url("cancel_url", request.cancelUrl())));
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new CheckoutResponse(started.checkoutSessionId(), started.url()));
    }

    @PostMapping("/api/v1/billing/update")
    @Operation(
            summary = "Change plan, seats or cancel-at-period-end",
            description = "Swaps the price on the subscription's plan item, sets its quantity, sets or clears"
                    + " cancel_at_period_end; proration as Stripe's proration_behavior. Roles: owner, admin.")
    @ApiResponse(responseCode = "200", description = "Changed")
    @ApiResponse(
            responseCode = "400",
            description = "nothing_to_change, unknown_plan",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(
            responseCode = "404",
            description = "no_subscription",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    SubscriptionResponse update(Caller caller, @Valid @RequestBody UpdateRequest request) {
        String tenant = TenantAccess.writer(caller);
        return new SubscriptionResponse(operations.update(
                tenant,
                new SubscriptionOperations.Change(
                        Optional.ofNullable(request.planCode()),
                        Optional.ofNullable(request.quantity()),
                        Optional.ofNullable(request.cancelAtPeriodEnd()),
                        Optional.ofNullable(request.proration())
                                .flatMap(SubscriptionChange.Proration::of)
                                .orElse(SubscriptionChange.Proration.CREATE_PRORATIONS))));
    }

    @PostMapping("/api/v1/billing/cancel")
    @Operation(
            summary = "Cancel the subscription",
            description = "At the end of the current period (default), or now with at_period_end=false."
                    + " Roles: owner, admin.")
    @ApiResponse(responseCode = "200", description = "Canceled, or set to cancel at period end")
    @ApiResponse(
            responseCode = "404",
            description = "no_subscription",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    SubscriptionResponse cancel(Caller caller, @RequestBody(required = false) CancelRequest request) {
        String tenant = TenantAccess.writer(caller);
        boolean atPeriodEnd = request == null || request.atPeriodEnd() == null || request.atPeriodEnd();
        return new SubscriptionResponse(operations.cancel(tenant, atPeriodEnd));
    }

    /** An absolute http(s) URL, else 422 naming the field. */
    static Optional<URI> url(String field, String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (java.net.URISyntaxException ex) {
            // answered below
        }
        throw ApiException.invalidField(field, "must be an absolute http or https URL");
    }
}
