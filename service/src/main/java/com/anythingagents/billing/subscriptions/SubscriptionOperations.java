package com.anythingagents.billing.subscriptions;

import com.anythingagents.billing.config.PriceMap;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.customers.CustomerDirectory;
import com.anythingagents.billing.plans.Catalog;
import com.anythingagents.billing.stripe.NewCheckoutSession;
import com.anythingagents.billing.stripe.NewSubscription;
import com.anythingagents.billing.stripe.StripeGateway;
import com.anythingagents.billing.stripe.SubscriptionChange;
import com.anythingagents.billing.web.ApiException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Starting, checking out, changing and canceling a tenant's subscription. Each is one reserved
 * operation of the tenant ({@link TenantOperations}): nothing is held while Stripe answers, every
 * Stripe write carries an idempotency key derived from the reservation, and Stripe's answer is
 * recorded locally (forward-only: an event about the subscription always applies over it).
 */
@Component
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class SubscriptionOperations {

    private final StripeGateway stripe;

    private final TenantOperations operations;

    private final CustomerDirectory customers;

    private final TenantSubscriptions subscriptions;

    private final SubscriptionRecorder recorder;

    private final Catalog catalog;

    private final PriceMap prices;

    private final Optional<URI> returnUrl;

    SubscriptionOperations(
            StripeGateway stripe,
            TenantOperations operations,
            CustomerDirectory customers,
            TenantSubscriptions subscriptions,
            SubscriptionRecorder recorder,
            Catalog catalog,
            ServiceSettings settings) {
        this.stripe = stripe;
        this.operations = operations;
        this.customers = customers;
        this.subscriptions = subscriptions;
        this.recorder = recorder;
        this.catalog = catalog;
        this.prices = settings.stripe().orElseThrow().prices();
        this.returnUrl = settings.api().returnUrl();
    }

    record Start(String planCode, long quantity, Optional<String> billingEmail, Optional<Integer> trialDays) {}

    record Checkout(String planCode, long quantity, Optional<URI> successUrl, Optional<URI> cancelUrl) {}

    record CheckoutStarted(String checkoutSessionId, String url) {}

    record Change(
            Optional<String> planCode,
            Optional<Long> quantity,
            Optional<Boolean> cancelAtPeriodEnd,
            SubscriptionChange.Proration proration) {}

    Subscription start(String tenantId, Start request) {
        String price = price(request.planCode());
        // read before the reservation: a stale catalogue reloads from Stripe (several calls), which
        // the reservation's lease, sized for the operation's own three calls, does not cover
        List<String> metered = catalog.meteredPriceIds(request.planCode());
        refuseLive(tenantId);
        return operations.run(tenantId, "start", op -> {
            String customer = customerWithoutLiveSubscription(op, request.billingEmail());
            NewSubscription subscription = new NewSubscription(
                    customer, tenantId, request.planCode(), price, request.quantity(), metered, request.trialDays());
            // keyed by its parameters too: another start that takes over this reservation (after an
            // unknown outcome) with another plan or quantity is a new request to Stripe, not a replay
            // of the earlier one (Stripe would answer the earlier result, or refuse the key)
            JsonNode created =
                    stripe.createSubscription(subscription, op.stripeKey("subscription", subscription.toString()));
            return recorder.record(tenantId, created);
        });
    }

    CheckoutStarted checkout(String tenantId, Checkout request) {
        String price = price(request.planCode());
        URI success = request.successUrl().or(() -> returnUrl).orElseThrow(() -> missingUrl("success_url"));
        URI cancel = request.cancelUrl().or(() -> returnUrl).orElseThrow(() -> missingUrl("cancel_url"));
        List<String> metered = catalog.meteredPriceIds(request.planCode()); // before the reservation, as in start
        refuseLive(tenantId);
        return operations.run(tenantId, "checkout", op -> {
            String customer = customerWithoutLiveSubscription(op, Optional.empty());
            NewCheckoutSession session = new NewCheckoutSession(
                    customer, tenantId, request.planCode(), price, request.quantity(), metered, success, cancel);
            JsonNode created = stripe.createCheckoutSession(session, op.stripeKey("checkout", session.toString()));
            return new CheckoutStarted(
                    created.path("id").asString(), created.path("url").asString());
        });
    }

    Subscription update(String tenantId, Change request) {
        if (request.planCode().isEmpty()
                && request.quantity().isEmpty()
                && request.cancelAtPeriodEnd().isEmpty()) {
            throw nothingToChange();
        }
        Optional<String> newPrice = request.planCode().map(this::price);
        Subscription local = live(tenantId);
        return operations.run(tenantId, "update", op -> {
            JsonNode current = currentInStripe(local);
            JsonNode item = PlanItem.of(current, prices)
                    .orElseThrow(() -> new IllegalStateException(
                            "subscription " + local.stripeSubscriptionId() + " has no items"));
            Optional<String> price = newPrice.filter(p -> !p.equals(PlanItem.priceId(item)));
            Optional<Long> quantity =
                    request.quantity().filter(q -> q != item.path("quantity").asLong(1));
            Optional<Boolean> cancel = request.cancelAtPeriodEnd()
                    .filter(c -> c != current.path("cancel_at_period_end").asBoolean(false));
            if (price.isEmpty() && quantity.isEmpty() && cancel.isEmpty()) {
                throw nothingToChange();
            }
            SubscriptionChange change = new SubscriptionChange(
                    item.path("id").asString(),
                    price,
                    price.flatMap(p -> request.planCode()),
                    quantity,
                    cancel,
                    request.proration());
            JsonNode updated = stripe.updateSubscription(
                    local.stripeSubscriptionId(), change, op.stripeKey("update", change.toString()));
            return recorder.record(tenantId, updated);
        });
    }

    Subscription cancel(String tenantId, boolean atPeriodEnd) {
        Subscription local = live(tenantId);
        return operations.run(tenantId, "cancel", op -> {
            JsonNode current = currentInStripe(local);
            if (!atPeriodEnd) {
                return recorder.record(
                        tenantId, stripe.cancelSubscription(local.stripeSubscriptionId(), op.stripeKey("cancel")));
            }
            SubscriptionChange change = new SubscriptionChange(
                    PlanItem.of(current, prices)
                            .map(i -> i.path("id").asString())
                            .orElse(""),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(true),
                    SubscriptionChange.Proration.NONE);
            return recorder.record(
                    tenantId,
                    stripe.updateSubscription(
                            local.stripeSubscriptionId(), change, op.stripeKey("cancel_at_period_end")));
        });
    }

    /**
     * The tenant's customer (its current one, else one created now and linked before anything uses
     * it), after checking Stripe has no live subscription for it: Stripe may know one this service
     * has not heard of yet (a checkout completed a moment ago), which is then recorded and refused.
     */
    private String customerWithoutLiveSubscription(TenantOperation op, Optional<String> email) {
        String customer = customers.currentCustomer(op.tenantId()).orElseGet(() -> {
            JsonNode created = stripe.createCustomer(op.tenantId(), email, op.stripeKey("customer"));
            String id = created.path("id").asString();
            customers.linkCreatedCustomer(
                    op.tenantId(),
                    id,
                    Instant.ofEpochSecond(created.path("created").asLong()));
            return id;
        });
        List<JsonNode> live = stripe.liveSubscriptions(customer);
        if (!live.isEmpty()) {
            throw exists(recorder.record(op.tenantId(), live.get(0)));
        }
        return customer;
    }

    private String price(String planCode) {
        return prices.priceFor(planCode)
                .orElseThrow(() -> new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "unknown_plan",
                        "Unknown plan_code \"" + planCode + "\"",
                        Map.of("valid_plans", List.copyOf(prices.pricesByPlan().keySet()))));
    }

    private void refuseLive(String tenantId) {
        subscriptions.find(tenantId).filter(Subscription::live).ifPresent(s -> {
            throw exists(s);
        });
    }

    private Subscription live(String tenantId) {
        return subscriptions
                .find(tenantId)
                .filter(Subscription::live)
                .orElseThrow(() -> new ApiException(
                        HttpStatus.NOT_FOUND, "no_subscription", "The tenant has no active subscription"));
    }

    private JsonNode currentInStripe(Subscription local) {
        return stripe.retrieveSubscription(local.stripeSubscriptionId())
                .filter(s ->
                        StripeGateway.LIVE_STATUSES.contains(s.path("status").asString()))
                .orElseThrow(() -> new ApiException(
                        HttpStatus.NOT_FOUND, "no_subscription", "The tenant's subscription has ended in Stripe"));
    }

    private static ApiException exists(Subscription s) {
        return new ApiException(
                HttpStatus.CONFLICT,
                "subscription_exists",
                "The tenant already has a " + s.status() + " subscription; change it with /update instead",
                Map.of("stripe_subscription_id", s.stripeSubscriptionId(), "status", s.status()));
    }

    private static ApiException nothingToChange() {
        return new ApiException(
                HttpStatus.BAD_REQUEST, "nothing_to_change", "The subscription already is what was asked for");
    }

    private static ApiException missingUrl(String field) {
        return ApiException.invalidField(field, "is required (or set BILLING_RETURN_URL)");
    }
}
