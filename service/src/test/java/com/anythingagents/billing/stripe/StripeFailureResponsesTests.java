package com.anythingagents.billing.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingApi;
import com.anythingagents.billing.BillingApi.Response;
import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.EmulatorControl;
import com.anythingagents.billing.security.Role;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Stripe's failures as the API answers them, and what operators see of them. */
@BillingServiceTest
@ExtendWith(OutputCaptureExtension.class)
class StripeFailureResponsesTests {

    static final String CONFIGURATION_ERROR = "Stripe rejected this service's API key";

    @LocalServerPort
    int port;

    @Test
    void aRejectedKeyIs500AndOneConfigurationErrorInTheLogWithoutTheKey(CapturedOutput output) {
        BillingApi api = new BillingApi(port);
        EmulatorControl.local().fault("POST", "/v1/customers", 401, 0, 2);

        Response first = api.post("/api/v1/billing/start", owner(), "{\"plan_code\":\"starter\"}");
        Response second = api.post("/api/v1/billing/start", owner(), "{\"plan_code\":\"starter\"}");

        for (Response response : new Response[] {first, second}) {
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.error()).isEqualTo("stripe_configuration_error");
            assertThat(response.body()).doesNotContain("sk_test");
        }
        assertThat(output.getAll().split(CONFIGURATION_ERROR, -1)).hasSize(2); // exactly once
        assertThat(output.getAll()).doesNotContain("sk_test_local_emulator_key");
    }

    @Test
    void aRequestStripeRefusesIs400WithStripesMessage() {
        EmulatorControl.local().fault("POST", "/v1/customers", 400, 0, 1);

        Response refused = new BillingApi(port).post("/api/v1/billing/start", owner(), "{\"plan_code\":\"starter\"}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).isEqualTo("stripe_invalid_request");
        assertThat(refused.json().path("message").asString()).isEqualTo("Injected fault 400.");
    }

    @Test
    void everyCallIsTimedByOperationAndOutcome() {
        BillingApi api = new BillingApi(port);
        assertThat(api.post("/api/v1/billing/start", owner(), "{\"plan_code\":\"starter\"}")
                        .status())
                .isEqualTo(201);

        String metrics = api.get("/actuator/prometheus", BillingApi.token(null, Role.OPERATOR))
                .body();

        assertThat(metrics)
                .contains("stripe_api_calls_seconds_count{operation=\"customers.create\",outcome=\"ok\"")
                .contains("stripe_api_calls_seconds_count{operation=\"subscriptions.create\",outcome=\"ok\"")
                .contains("stripe_api_calls_seconds_bucket{operation=\"subscriptions.create\",outcome=\"ok\"");
    }

    private static String owner() {
        return BillingApi.token("t_" + UUID.randomUUID(), Role.OWNER);
    }
}
