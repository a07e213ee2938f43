package com.anythingagents.billing.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingApi;
import com.anythingagents.billing.BillingApi.Response;
import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.EmulatorControl;
import com.anythingagents.billing.security.Role;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** A renewal whose payment Stripe declines: the tenant sees past_due and the open invoice. */
@BillingServiceTest
class DeclinedRenewalTests {

    @LocalServerPort
    int port;

    @Test
    void aDeclinedRenewalIsPastDueThroughTheApi() {
        BillingApi api = new BillingApi(port);
        EmulatorControl emulator = EmulatorControl.local();
        String owner = BillingApi.token("t_" + UUID.randomUUID(), Role.OWNER);
        Response started = api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"pro\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        String customer =
                started.json().path("subscription").path("stripe_customer_id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> "active".equals(status(api, owner)));

        emulator.emulator().failNextPayment(customer, "insufficient_funds");
        emulator.advanceClock(Duration.ofDays(31));

        await().atMost(Duration.ofSeconds(30)).until(() -> "past_due".equals(status(api, owner)));
        JsonNode newest = api.get("/api/v1/billing/invoices?limit=1", owner)
                .json()
                .path("invoices")
                .get(0);
        assertThat(newest.path("status").asString()).isEqualTo("open");
        assertThat(newest.path("amount_paid").asLong()).isZero();
        assertThat(newest.path("amount_due").asLong()).isPositive();
        assertThat(api.get("/api/v1/billing/invoices?limit=1", owner)
                        .json()
                        .path("next_cursor")
                        .asString())
                .isNotBlank();
    }

    private static String status(BillingApi api, String token) {
        return api.get("/api/v1/billing/subscription", token)
                .json()
                .path("subscription")
                .path("status")
                .asString(null);
    }
}
