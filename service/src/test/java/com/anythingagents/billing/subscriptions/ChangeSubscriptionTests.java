package com.anythingagents.billing.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingApi;
import com.anythingagents.billing.BillingApi.Response;
import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.EmulatorControl;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.security.Role;
import com.stripe.StripeClient;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** POST /update and /cancel on a started plan: what Stripe holds, and what the tenant then reads. */
@BillingServiceTest
class ChangeSubscriptionTests {

    static final Duration DELIVERY = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    ServiceSettings settings;

    BillingApi api;

    StripeClient stripe;

    String owner;

    String subscriptionId;

    @BeforeEach
    void startStarterWithOneSeat() {
        api = new BillingApi(port);
        stripe = EmulatorControl.local().stripe();
        owner = BillingApi.token("t_" + UUID.randomUUID(), Role.OWNER);
        Response started = api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        subscriptionId = started.json()
                .path("subscription")
                .path("stripe_subscription_id")
                .asString();
        awaitLocal("status", "active");
    }

    @Test
    void upgradeSwapsThePriceOnThePlanItemAndKeepsTheMeteredOne() throws Exception {
        Response upgraded = api.post("/api/v1/billing/update", owner, "{\"plan_code\":\"pro\"}");

        assertThat(upgraded.status()).as(upgraded.body()).isEqualTo(200);
        assertThat(upgraded.json().path("subscription").path("plan_code").asString())
                .isEqualTo("pro");
        Subscription inStripe = stripe.subscriptions().retrieve(subscriptionId);
        assertThat(inStripe.getItems().getData()).hasSize(2);
        assertThat(planItem(inStripe).getPrice().getId()).isEqualTo(price("pro"));
        assertThat(inStripe.getMetadata()).containsEntry("plan_code", "pro");
        awaitLocal("plan_code", "pro");
    }

    @Test
    void downgradeWithoutProrationGoesBackToTheSmallerPlan() throws Exception {
        api.post("/api/v1/billing/update", owner, "{\"plan_code\":\"pro\"}");

        Response downgraded =
                api.post("/api/v1/billing/update", owner, "{\"plan_code\":\"starter\",\"proration\":\"none\"}");

        assertThat(downgraded.status()).as(downgraded.body()).isEqualTo(200);
        assertThat(planItem(stripe.subscriptions().retrieve(subscriptionId))
                        .getPrice()
                        .getId())
                .isEqualTo(price("starter"));
        awaitLocal("plan_code", "starter");
    }

    @Test
    void seatsChangeTheQuantityOfThePlanItem() throws Exception {
        Response seats = api.post("/api/v1/billing/update", owner, "{\"quantity\":5}");

        assertThat(seats.status()).as(seats.body()).isEqualTo(200);
        assertThat(planItem(stripe.subscriptions().retrieve(subscriptionId)).getQuantity())
                .isEqualTo(5L);
        await().atMost(DELIVERY).until(() -> local().path("quantity").asInt() == 5);
    }

    @Test
    void askingForWhatIsAlreadyThereIsNothingToChange() {
        Response same = api.post("/api/v1/billing/update", owner, "{\"plan_code\":\"starter\",\"quantity\":1}");
        Response empty = api.post("/api/v1/billing/update", owner, "{}");

        assertThat(same.status()).isEqualTo(400);
        assertThat(same.error()).isEqualTo("nothing_to_change");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.error()).isEqualTo("nothing_to_change");
    }

    @Test
    void anUnknownProrationIsAValidationError() {
        Response response = api.post("/api/v1/billing/update", owner, "{\"quantity\":3,\"proration\":\"sometimes\"}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.error()).isEqualTo("validation_failed");
    }

    @Test
    void cancelAtPeriodEndKeepsItActiveUntilThen() throws Exception {
        Response canceled = api.post("/api/v1/billing/cancel", owner, "{}");

        assertThat(canceled.status()).as(canceled.body()).isEqualTo(200);
        assertThat(canceled.json()
                        .path("subscription")
                        .path("cancel_at_period_end")
                        .asBoolean())
                .isTrue();
        assertThat(stripe.subscriptions().retrieve(subscriptionId).getCancelAtPeriodEnd())
                .isTrue();
        await().atMost(DELIVERY)
                .until(() -> local().path("cancel_at_period_end").asBoolean());
        assertThat(local().path("status").asString()).isEqualTo("active");

        // and it can be taken back
        Response resumed = api.post("/api/v1/billing/update", owner, "{\"cancel_at_period_end\":false}");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        await().atMost(DELIVERY)
                .until(() -> !local().path("cancel_at_period_end").asBoolean());
    }

    @Test
    void cancelNowEndsItAndThenThereIsNothingToChange() throws Exception {
        Response canceled = api.post("/api/v1/billing/cancel", owner, "{\"at_period_end\":false}");

        assertThat(canceled.status()).as(canceled.body()).isEqualTo(200);
        assertThat(canceled.json().path("subscription").path("status").asString())
                .isEqualTo("canceled");
        assertThat(stripe.subscriptions().retrieve(subscriptionId).getStatus()).isEqualTo("canceled");
        awaitLocal("status", "canceled");
        Response update = api.post("/api/v1/billing/update", owner, "{\"quantity\":2}");
        assertThat(update.status()).isEqualTo(404);
        assertThat(update.error()).isEqualTo("no_subscription");
        assertThat(api.post("/api/v1/billing/cancel", owner, "{}").status()).isEqualTo(404);
    }

    @Test
    void withoutASubscriptionThereIsNothingToUpdateOrCancel() {
        String stranger = BillingApi.token("t_" + UUID.randomUUID(), Role.ADMIN);

        assertThat(api.post("/api/v1/billing/update", stranger, "{\"quantity\":2}")
                        .error())
                .isEqualTo("no_subscription");
        assertThat(api.post("/api/v1/billing/cancel", stranger, "{}").error()).isEqualTo("no_subscription");
        assertThat(api.get("/api/v1/billing/subscription", stranger).status()).isEqualTo(404);
    }

    private JsonNode local() {
        return api.get("/api/v1/billing/subscription", owner).json().path("subscription");
    }

    private void awaitLocal(String field, String value) {
        await().atMost(DELIVERY).until(() -> value.equals(local().path(field).asString(null)));
    }

    private String price(String plan) {
        return settings.stripe().orElseThrow().prices().priceFor(plan).orElseThrow();
    }

    private static SubscriptionItem planItem(Subscription s) {
        return s.getItems().getData().stream()
                .filter(i -> i.getQuantity() != null)
                .findFirst()
                .orElseThrow();
    }
}
