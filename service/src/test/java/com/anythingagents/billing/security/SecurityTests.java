package com.anythingagents.billing.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.HttpProbe;
import com.anythingagents.billing.HttpProbe.Response;
import com.anythingagents.billing.TestStripe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Bearer tokens over real HTTP: 401 for who-are-you, 403 for not-allowed, both in the error envelope. */
@BillingServiceTest
class SecurityTests {

    private static final String PLANS = "/api/v1/billing/plans";

    @LocalServerPort
    int port;

    private HttpProbe http;

    @BeforeEach
    void probe() {
        http = new HttpProbe(port);
    }

    private static String token(String secret, Clock clock, String tenant, Role... roles) {
        return new TokenMinter(secret, Optional.empty(), Optional.empty(), clock)
                .mint("user-1", tenant, List.of(roles), Duration.ofHours(1));
    }

    private static String token(String tenant, Role... roles) {
        return token(TestStripe.JWT_SECRET, Clock.systemUTC(), tenant, roles);
    }

    private static void assertEnvelope(Response response, int status, String error) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.json().get("error").asString()).isEqualTo(error);
        assertThat(response.json().get("message").asString()).isNotBlank();
    }

    @Test
    void mintedTokenReadsTheTwoLocalPlans() {
        Response response = http.get(PLANS, token("acme", Role.OWNER));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()
                        .get("plans")
                        .valueStream()
                        .map(p -> p.get("plan_code").asString()))
                .containsExactlyInAnyOrder("starter", "pro");
        assertThat(response.json()
                        .get("plans")
                        .valueStream()
                        .map(p -> p.get("stripe_price_id").asString()))
                .allMatch(price -> price.startsWith("price_"));
    }

    @Test
    void noTokenIsUnauthorized() {
        assertEnvelope(http.get(PLANS), 401, "unauthorized");
    }

    @Test
    void tamperedSignatureIsUnauthorized() {
        String token = token("acme", Role.OWNER);
        int middleOfSignature = token.lastIndexOf('.') + 10;
        char flipped = token.charAt(middleOfSignature) == 'A' ? 'B' : 'A';
        String tampered = token.substring(0, middleOfSignature) + flipped + token.substring(middleOfSignature + 1);

        assertEnvelope(http.get(PLANS, tampered), 401, "unauthorized");
    }

    @Test
    void expiredTokenIsUnauthorized() {
        Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);

        assertEnvelope(
                http.get(PLANS, token(TestStripe.JWT_SECRET, twoHoursAgo, "acme", Role.OWNER)), 401, "unauthorized");
    }

    @Test
    void tokenSignedWithAnotherSecretIsUnauthorized() {
        String foreign = token("another-secret-of-at-least-32-bytes-long!", Clock.systemUTC(), "acme", Role.OWNER);

        assertEnvelope(http.get(PLANS, foreign), 401, "unauthorized");
    }

    @Test
    void tokenWithoutExpiryIsUnauthorized() {
        String eternal = TokenClaimsTests.signed(TestStripe.JWT_SECRET, claims -> claims.expirationTime(null));

        assertEnvelope(http.get(PLANS, eternal), 401, "unauthorized");
    }

    @Test
    void tenantThatIsNotAStringIsUnauthorized() {
        for (Object tenant : List.of(List.of("acme"), 123)) {
            String token = TokenClaimsTests.signed(TestStripe.JWT_SECRET, claims -> claims.claim("tenant_id", tenant));

            assertEnvelope(http.get(PLANS, token), 401, "unauthorized");
        }
    }

    @Test
    void garbageBearerIsUnauthorized() {
        assertEnvelope(http.get(PLANS, "not.a.jwt"), 401, "unauthorized");
    }

    @Test
    void memberCannotReachAdminRoutes() {
        assertEnvelope(http.get("/api/v1/admin/stripe-events", token("acme", Role.MEMBER)), 403, "forbidden");
    }

    @Test
    void prometheusNeedsOperator() {
        assertEnvelope(http.get("/actuator/prometheus", token("acme", Role.OWNER)), 403, "forbidden");

        Response operator = http.get("/actuator/prometheus", token(null, Role.OPERATOR));
        assertThat(operator.status()).isEqualTo(200);
        assertThat(operator.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void tokenWithoutTenantCannotReadPlans() {
        assertEnvelope(http.get(PLANS, token(null, Role.OPERATOR)), 403, "forbidden");
    }

    @Test
    void healthIsOpenAndUpWithDatabaseAndRedis() {
        Response health = http.get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        JsonNode json = health.json();
        assertThat(json.get("status").asString()).isEqualTo("UP");
        assertThat(json.get("components").get("db").get("status").asString()).isEqualTo("UP");
        assertThat(json.get("components").get("redis").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void unknownRouteIsNotFoundInTheEnvelope() {
        assertEnvelope(http.get("/api/v1/no-such-route", token("acme", Role.OWNER)), 404, "not_found");
    }
}
