package com.anythingagents.billing.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingApi;
import com.anythingagents.billing.BillingApi.Response;
import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.EmulatorControl;
import com.anythingagents.billing.HostedPage;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.security.Role;
import com.stripe.StripeClient;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Paying on Stripe's hosted pages: Checkout starts the plan, the Billing Portal changes it. */
@BillingServiceTest
class CheckoutAndPortalTests {

    static final Duration DELIVERY = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    ServiceSettings settings;

    BillingApi api;

    StripeClient stripe;

    String tenant;

    String owner;

    @BeforeEach
    void setUp() {
        api = new BillingApi(port);
        stripe = EmulatorControl.local().stripe();
        tenant = "t_" + UUID.randomUUID();
        owner = BillingApi.token(tenant, Role.ADMIN);
    }

    @Test
    void checkoutPaidOnTheHostedPageMakesTheSubscriptionActive() throws Exception {
        Response checkout = api.post(
                "/api/v1/billing/checkout",
                owner,
                "{\"plan_code\":\"pro\",\"quantity\":3,\"success_url\":\"https://app.example.com/done\","
                        + "\"cancel_url\":\"https://app.example.com/plans\"}");

        assertThat(checkout.status()).as(checkout.body()).isEqualTo(201);
        String sessionId = checkout.json().path("checkout_session_id").asString();
        Session session = stripe.checkout().sessions().retrieve(sessionId);
        assertThat(session.getMode()).isEqualTo("subscription");
        assertThat(session.getClientReferenceId()).isEqualTo(tenant);
        assertThat(session.getMetadata()).containsEntry("tenant_id", tenant);
        assertThat(stripe.customers().retrieve(session.getCustomer()).getMetadata())
                .containsEntry("tenant_id", tenant);

        HttpResponse<String> paid = HostedPage.submit(
                checkout.json().path("url").asString(),
                "email",
                "ops@example.com",
                "name",
                "Ops",
                "card",
                "4242 4242 4242 4242");

        assertThat(paid.statusCode()).as(paid.body()).isEqualTo(303);
        assertThat(paid.headers().firstValue("Location")).hasValue("https://app.example.com/done");
        await().atMost(DELIVERY)
                .until(() -> "active".equals(local().path("status").asString(null)));
        JsonNode local = local();
        assertThat(local.path("plan_code").asString()).isEqualTo("pro");
        assertThat(local.path("quantity").asInt()).isEqualTo(3);
        assertThat(local.path("stripe_customer_id").asString()).isEqualTo(session.getCustomer());
        Subscription inStripe = stripe.subscriptions()
                .retrieve(local.path("stripe_subscription_id").asString());
        assertThat(inStripe.getMetadata()).containsEntry("tenant_id", tenant).containsEntry("plan_code", "pro");
        assertThat(inStripe.getItems().getData()).hasSize(2); // the plan and the metered usage price

        Response again = api.post("/api/v1/billing/checkout", owner, "{\"plan_code\":\"starter\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).isEqualTo("subscription_exists");
    }

    @Test
    void aDeclinedCardLeavesTheSessionOpenAndNoSubscription() {
        Response checkout = api.post("/api/v1/billing/checkout", owner, "{\"plan_code\":\"starter\"}");
        assertThat(checkout.status()).as(checkout.body()).isEqualTo(201);

        HttpResponse<String> declined = HostedPage.submit(
                checkout.json().path("url").asString(), "email", "ops@example.com", "card", "4000000000000002");

        assertThat(declined.statusCode()).isEqualTo(402);
        assertThat(declined.body()).contains("declined");
        assertThat(api.get("/api/v1/billing/subscription", owner).status()).isEqualTo(404);
    }

    @Test
    void thePortalSwitchesThePlanAndTheChangeComesBackThroughStripesEvents() {
        assertThat(api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\"}")
                        .status())
                .isEqualTo(201);
        await().atMost(DELIVERY)
                .until(() -> "active".equals(local().path("status").asString(null)));

        Response portal =
                api.post("/api/v1/billing/portal", owner, "{\"return_url\":\"https://app.example.com/billing\"}");

        assertThat(portal.status()).as(portal.body()).isEqualTo(201);
        String url = portal.json().path("url").asString();
        assertThat(HostedPage.get(url).body()).contains("https://app.example.com/billing");
        HttpResponse<String> switched = HostedPage.submit(
                url + "/subscriptions/" + local().path("stripe_subscription_id").asString() + "/update",
                "price",
                settings.stripe().orElseThrow().prices().priceFor("pro").orElseThrow());
        assertThat(switched.statusCode()).as(switched.body()).isEqualTo(303);
        await().atMost(DELIVERY)
                .until(() -> "pro".equals(local().path("plan_code").asString(null)));
    }

    @Test
    void noPortalWithoutACustomer() {
        Response portal = api.post("/api/v1/billing/portal", owner, "{}");

        assertThat(portal.status()).isEqualTo(409); // as usage answers it: one condition, one status
        assertThat(portal.error()).isEqualTo("no_customer");
        assertThat(portal.json().path("message").asString()).contains("start a plan");
    }

    private JsonNode local() {
        return api.get("/api/v1/billing/subscription", owner).json().path("subscription");
    }
}
