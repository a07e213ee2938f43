package com.anythingagents.billing.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingApi;
import com.anythingagents.billing.BillingApi.Response;
import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.EmulatorControl;
import com.anythingagents.billing.security.Role;
import com.stripe.StripeClient;
import com.stripe.model.Customer;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.param.CustomerSearchParams;
import com.stripe.param.SubscriptionListParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** POST /start against the emulator: one customer and one subscription per tenant, whatever the timing. */
@BillingServiceTest
class StartSubscriptionTests {

    static final Duration DELIVERY = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    BillingApi api;

    EmulatorControl emulator;

    StripeClient stripe;

    String tenant;

    String owner;

    @BeforeEach
    void setUp() {
        api = new BillingApi(port);
        emulator = EmulatorControl.local();
        stripe = emulator.stripe();
        tenant = "t_" + UUID.randomUUID();
        owner = BillingApi.token(tenant, Role.OWNER);
    }

    @Test
    void startedPlanIsWhatStripeHoldsOnceItsWebhooksArrive() throws Exception {
        Response started = api.post(
                "/api/v1/billing/start",
                owner,
                "{\"plan_code\":\"starter\",\"quantity\":2,\"billing_email\":\"ops@example.com\"}");

        assertThat(started.status()).as(started.body()).isEqualTo(201);
        JsonNode answered = started.json().path("subscription");
        Subscription inStripe = stripe.subscriptions()
                .retrieve(answered.path("stripe_subscription_id").asString());
        assertThat(inStripe.getMetadata()).containsEntry("tenant_id", tenant).containsEntry("plan_code", "starter");
        assertThat(answered.path("status").asString()).isEqualTo(inStripe.getStatus());
        Customer customer = stripe.customers().retrieve(inStripe.getCustomer());
        assertThat(customer.getMetadata()).containsEntry("tenant_id", tenant);
        assertThat(customer.getEmail()).isEqualTo("ops@example.com");
        // the plan's price with its seats, and the usage feature's metered price (billed from meter events)
        List<SubscriptionItem> items = inStripe.getItems().getData();
        assertThat(items).hasSize(2);
        assertThat(items)
                .anySatisfy(i ->
                        assertThat(i.getPrice().getRecurring().getUsageType()).isEqualTo("metered"));
        assertThat(items).anySatisfy(i -> assertThat(i.getQuantity()).isEqualTo(2L));

        await().atMost(DELIVERY).untilAsserted(() -> {
            // only the webhooks write a version: this is the row their events left
            JsonNode local =
                    api.get("/api/v1/billing/subscription", owner).json().path("subscription");
            assertThat(local.path("status").asString()).isEqualTo("active");
            Subscription now = stripe.subscriptions().retrieve(inStripe.getId());
            assertThat(local.path("stripe_subscription_id").asString()).isEqualTo(now.getId());
            assertThat(local.path("stripe_customer_id").asString()).isEqualTo(now.getCustomer());
            assertThat(local.path("status").asString()).isEqualTo(now.getStatus());
            assertThat(local.path("plan_code").asString()).isEqualTo("starter");
            assertThat(local.path("quantity").asInt()).isEqualTo(2);
            assertThat(local.path("cancel_at_period_end").asBoolean()).isEqualTo(now.getCancelAtPeriodEnd());
            SubscriptionItem plan = now.getItems().getData().stream()
                    .filter(i -> i.getQuantity() != null)
                    .findFirst()
                    .orElseThrow();
            assertThat(local.path("stripe_price_id").asString())
                    .isEqualTo(plan.getPrice().getId());
            assertThat(java.time.Instant.parse(local.path("current_period_end").asString()))
                    .isEqualTo(java.time.Instant.ofEpochSecond(plan.getCurrentPeriodEnd()));
        });
    }

    @Test
    void unknownPlanListsTheValidOnes() {
        Response response = api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"platinum\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("unknown_plan");
        assertThat(response.json()
                        .path("details")
                        .path("valid_plans")
                        .valueStream()
                        .map(JsonNode::asString))
                .containsExactlyInAnyOrder("starter", "pro");
    }

    @Test
    void fractionalQuantityOrTrialIsA400NeverRoundedIntoWhatIsBilled() {
        Response quantity = api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\",\"quantity\":1.7}");
        Response trial = api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\",\"trial_days\":7.5}");

        assertThat(quantity.status()).as(quantity.body()).isEqualTo(400);
        assertThat(quantity.error()).isEqualTo("bad_request");
        assertThat(quantity.json().path("message").asString()).isEqualTo("quantity must be a whole number");
        assertThat(trial.status()).as(trial.body()).isEqualTo(400);
        assertThat(trial.json().path("message").asString()).isEqualTo("trial_days must be a whole number");
        assertThat(customersInStripe()).isEmpty();
        // a whole number written with a fraction part is still refused: the client sent a float
        assertThat(api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\",\"quantity\":2.0}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aSecondStartIsAConflict() {
        assertThat(api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\"}")
                        .status())
                .isEqualTo(201);

        Response again = api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"pro\"}");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).isEqualTo("subscription_exists");
        assertThat(subscriptionsInStripe()).hasSize(1);
    }

    @Test
    void retriedStartWithTheSameKeyAnswersTheSameAndCreatesNothingNew() {
        String body = "{\"plan_code\":\"starter\",\"trial_days\":14}";
        Response first = api.post("/api/v1/billing/start", owner, body, "Idempotency-Key", "start-1");
        Response retry = api.post("/api/v1/billing/start", owner, body, "Idempotency-Key", "start-1");

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().path("subscription").path("status").asString()).isEqualTo("trialing");
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("Idempotent-Replayed")).contains("true");
        assertThat(customersInStripe()).hasSize(1);
        assertThat(subscriptionsInStripe()).hasSize(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsAConflict() {
        api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\"}", "Idempotency-Key", "k");

        Response other = api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"pro\"}", "Idempotency-Key", "k");

        assertThat(other.status()).isEqualTo(409);
        assertThat(other.error()).isEqualTo("idempotency_conflict");
    }

    @Test
    void concurrentStartsMakeOneCustomerAndOneSubscription() throws Exception {
        // the first start is still creating the customer when the second arrives
        emulator.fault("POST", "/v1/customers", 0, 1500, 1);

        List<Response> responses = concurrently(
                () -> api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\"}"),
                () -> api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\"}"));

        assertThat(responses).extracting(Response::status).containsExactlyInAnyOrder(201, 409);
        assertThat(responses)
                .filteredOn(r -> r.status() == 409)
                .extracting(Response::error)
                .containsExactly("operation_in_progress");
        assertThat(customersInStripe()).hasSize(1);
        assertThat(subscriptionsInStripe()).hasSize(1);
    }

    @Test
    void concurrentStartsWithTheSameKeyBothGetTheFirstAnswer() throws Exception {
        emulator.fault("POST", "/v1/customers", 0, 1500, 1);
        String body = "{\"plan_code\":\"pro\"}";

        List<Response> responses = concurrently(
                () -> api.post("/api/v1/billing/start", owner, body, "Idempotency-Key", "same"),
                () -> api.post("/api/v1/billing/start", owner, body, "Idempotency-Key", "same"));

        assertThat(responses).extracting(Response::status).containsExactly(201, 201);
        assertThat(responses.get(0).body()).isEqualTo(responses.get(1).body());
        assertThat(subscriptionsInStripe()).hasSize(1);
    }

    @Test
    void aDeclinedFirstPaymentIs402WithTheDeclineCode() {
        emulator.fault("POST", "/v1/subscriptions", 402, 0, 1);

        Response declined = api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\"}");

        assertThat(declined.status()).isEqualTo(402);
        assertThat(declined.error()).isEqualTo("card_declined");
        assertThat(declined.json().path("details").path("decline_code").asString())
                .isEqualTo("generic_decline");
        // nothing half-done: the customer is kept (and reused), the next start goes through
        assertThat(api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\"}")
                        .status())
                .isEqualTo(201);
        assertThat(customersInStripe()).hasSize(1);
    }

    @Test
    void stripeUnavailableOrRateLimitingAsksToRetryAndTheRetryDoesNotDuplicate() {
        emulator.fault("POST", "/v1/subscriptions", 500, 0, 3); // the SDK's own retries included
        Response failing = api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\"}");
        assertThat(failing.status()).isEqualTo(502);
        assertThat(failing.error()).isEqualTo("stripe_unavailable");
        assertThat(failing.header("Retry-After")).isPresent();

        emulator.fault("POST", "/v1/subscriptions", 429, 0, 1); // the SDK does not retry 429s
        Response limited = api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\"}");
        assertThat(limited.status()).isEqualTo(503);
        assertThat(limited.error()).isEqualTo("stripe_rate_limited");
        assertThat(limited.header("Retry-After")).isPresent();

        assertThat(api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\"}")
                        .status())
                .isEqualTo(201);
        assertThat(customersInStripe()).hasSize(1);
        assertThat(subscriptionsInStripe()).hasSize(1);
    }

    private List<Customer> customersInStripe() {
        try {
            return stripe.customers()
                    .search(CustomerSearchParams.builder()
                            .setQuery("metadata['tenant_id']:'" + tenant + "'")
                            .build())
                    .getData();
        } catch (com.stripe.exception.StripeException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private List<Subscription> subscriptionsInStripe() {
        try {
            List<Subscription> all = new ArrayList<>();
            for (Customer c : customersInStripe()) {
                all.addAll(stripe.subscriptions()
                        .list(SubscriptionListParams.builder()
                                .setCustomer(c.getId())
                                .setStatus(SubscriptionListParams.Status.ALL)
                                .build())
                        .getData());
            }
            return all;
        } catch (com.stripe.exception.StripeException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @SafeVarargs
    private static List<Response> concurrently(Callable<Response>... calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.length);
        try {
            CountDownLatch ready = new CountDownLatch(calls.length);
            List<Future<Response>> futures = new ArrayList<>();
            for (Callable<Response> call : calls) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return call.call();
                }));
            }
            List<Response> responses = new ArrayList<>();
            for (Future<Response> f : futures) {
                responses.add(f.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }
}
