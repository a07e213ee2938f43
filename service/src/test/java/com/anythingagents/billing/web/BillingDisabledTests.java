package com.anythingagents.billing.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.HttpProbe;
import com.anythingagents.billing.HttpProbe.Response;
import com.anythingagents.billing.TestStripe;
import com.anythingagents.billing.security.Role;
import com.anythingagents.billing.security.TokenMinter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A service with billing off (its own context) still answers billing routes, with 503 and a reason. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"ENABLE_BILLING=false", "AUTH_JWT_SECRET=" + TestStripe.JWT_SECRET})
class BillingDisabledTests {

    @LocalServerPort
    int port;

    private String token() {
        return new TokenMinter(TestStripe.JWT_SECRET, Optional.empty(), Optional.empty(), Clock.systemUTC())
                .mint("user-1", "acme", List.of(Role.OWNER), Duration.ofMinutes(5));
    }

    @Test
    void billingRouteWithValidTokenIsServiceUnavailable() {
        Response response = new HttpProbe(port).get("/api/v1/billing/plans", token());

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.json().get("error").asString()).isEqualTo("billing_disabled");
        assertThat(response.json().get("message").asString()).contains("ENABLE_BILLING=true");
    }

    @Test
    void unknownRouteIsNotFoundInTheEnvelope() {
        Response response = new HttpProbe(port).get("/api/v1/nothing-here", token());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("error").asString()).isEqualTo("not_found");
    }
}
