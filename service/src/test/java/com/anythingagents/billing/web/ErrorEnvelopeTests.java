package com.anythingagents.billing.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
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
import org.springframework.boot.test.web.server.LocalServerPort;

/** Mistakes of the caller (bad query values, wrong methods) are 4xx in the envelope, never a 500 or a 401. */
@BillingServiceTest
class ErrorEnvelopeTests {

    @LocalServerPort
    int port;

    private static String token(String tenant, Role role) {
        return new TokenMinter(TestStripe.JWT_SECRET, Optional.empty(), Optional.empty(), Clock.systemUTC())
                .mint("user-1", tenant, List.of(role), Duration.ofMinutes(5));
    }

    private static void assertBadRequest(Response response, String parameter) {
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asString()).isEqualTo("bad_request");
        assertThat(response.json().get("message").asString()).contains(parameter);
    }

    @Test
    void nonNumericQueryParametersAreBadRequests() {
        HttpProbe http = new HttpProbe(port);
        String member = token("acme", Role.MEMBER);
        String operator = token(null, Role.OPERATOR);

        assertBadRequest(http.get("/api/v1/billing/events?limit=abc", member), "limit");
        assertBadRequest(http.get("/api/v1/billing/events?before=xyz", member), "before");
        assertBadRequest(http.get("/api/v1/billing/events?before=99999999999999999999999", member), "before");
        assertBadRequest(http.get("/api/v1/admin/stripe-events?limit=ten", operator), "limit");
    }

    @Test
    void wrongMethodOnTheWebhookIsMethodNotAllowedNotUnauthorized() {
        // the route is open (Stripe signs, it sends no token): a GET is the wrong method, not a missing token
        Response response = new HttpProbe(port).get("/webhooks/stripe");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.json().get("error").asString()).isEqualTo("method_not_allowed");
    }
}
