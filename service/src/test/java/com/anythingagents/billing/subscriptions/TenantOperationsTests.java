package com.anythingagents.billing.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anythingagents.billing.BillingApi;
import com.anythingagents.billing.BillingApi.Response;
import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.EmulatorControl;
import com.anythingagents.billing.security.Role;
import com.anythingagents.billing.stripe.StripeGateway;
import com.anythingagents.billing.web.ApiException;
import com.stripe.StripeClient;
import com.stripe.model.Price;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PriceListParams;
import com.stripe.param.SubscriptionCreateParams;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The tenant's operation reservation: its lease, and the Stripe keys of an operation that takes one over. */
@BillingServiceTest
class TenantOperationsTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    String tenant;

    @BeforeEach
    void setUp() {
        tenant = "t_" + UUID.randomUUID();
    }

    @Test
    void secondOperationIsRefusedForAsLongAsTheFirstsStripeCallsCanTakeAtWorst() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        TenantOperations atStart = new TenantOperations(jdbc, Clock.fixed(start, ZoneOffset.UTC));
        // every Stripe call of the first operation timed out on every try: it is still talking to Stripe
        Instant worstCase = start.plus(StripeGateway.LONGEST_CALL.multipliedBy(TenantOperations.MAX_STRIPE_CALLS));
        TenantOperations later = new TenantOperations(jdbc, Clock.fixed(worstCase, ZoneOffset.UTC));

        atStart.run(tenant, "start", first -> {
            assertThatThrownBy(() -> later.run(tenant, "update", second -> "ran"))
                    .isInstanceOfSatisfying(
                            ApiException.class, ex -> assertThat(ex.status()).isEqualTo(HttpStatus.CONFLICT))
                    .hasMessageContaining("in progress");
            return first;
        });

        String ran = later.run(tenant, "update", second -> "ran");
        assertThat(ran).isEqualTo("ran"); // the first ended: the tenant is free
    }

    @Test
    void startTakingOverAReservationWhoseEarlierSubscriptionRequestDifferedGetsItsOwnSubscription() throws Exception {
        StripeClient stripe = EmulatorControl.local().stripe();
        String reservation = "op_" + UUID.randomUUID().toString().replace("-", "");
        // the reservation's earlier try asked Stripe for another subscription and ended without knowing
        // the outcome: its row stays, lease released, for the next operation of the tenant to take over
        stripe.subscriptions()
                .create(
                        SubscriptionCreateParams.builder()
                                .setCustomer(stripe.customers()
                                        .create(CustomerCreateParams.builder().build())
                                        .getId())
                                .addItem(SubscriptionCreateParams.Item.builder()
                                        .setPrice(aLicensedPrice(stripe))
                                        .setQuantity(7L)
                                        .build())
                                .setTrialPeriodDays(7L)
                                .build(),
                        RequestOptions.builder()
                                .setIdempotencyKey(reservation + ":subscription")
                                .build());
        jdbc.sql("insert into billing_operations (tenant_id, operation_id, kind, started_at, lease_until)"
                        + " values (?, ?, 'start', now() - interval '1 minute', now() - interval '1 second')")
                .params(tenant, reservation)
                .update();

        Response started = new BillingApi(port)
                .post("/api/v1/billing/start", BillingApi.token(tenant, Role.OWNER), "{\"plan_code\":\"starter\"}");

        assertThat(started.status()).as(started.body()).isEqualTo(201); // not Stripe's idempotency_error
        assertThat(started.json().path("subscription").path("quantity").asLong())
                .isEqualTo(1);
        assertThat(stripe.subscriptions()
                        .retrieve(started.json()
                                .path("subscription")
                                .path("stripe_subscription_id")
                                .asString())
                        .getMetadata())
                .containsEntry("tenant_id", tenant);
    }

    private static String aLicensedPrice(StripeClient stripe) throws Exception {
        return stripe.prices().list(PriceListParams.builder().setActive(true).build()).getData().stream()
                .filter(p -> p.getRecurring() != null
                        && "licensed".equals(p.getRecurring().getUsageType()))
                .map(Price::getId)
                .findFirst()
                .orElseThrow();
    }
}
