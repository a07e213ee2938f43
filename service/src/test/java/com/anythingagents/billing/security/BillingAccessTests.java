package com.anythingagents.billing.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingApi;
import com.anythingagents.billing.BillingApi.Response;
import com.anythingagents.billing.BillingServiceTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Every billing route: 401 without a token, 403 for the wrong role, and only ever the token's tenant. */
@BillingServiceTest
class BillingAccessTests {

    static final List<String> WRITES = List.of(
            "/api/v1/billing/start",
            "/api/v1/billing/checkout",
            "/api/v1/billing/update",
            "/api/v1/billing/cancel",
            "/api/v1/billing/portal");

    static final List<String> READS = List.of(
            "/api/v1/billing/subscription",
            "/api/v1/billing/invoices",
            "/api/v1/billing/usage",
            "/api/v1/billing/plans");

    static final String USAGE = "/api/v1/billing/usage";

    static final String BODY = "{\"plan_code\":\"starter\",\"feature_key\":\"agent_runs\",\"quantity\":1}";

    @LocalServerPort
    int port;

    BillingApi api;

    String tenant;

    @BeforeEach
    void setUp() {
        api = new BillingApi(port);
        tenant = "t_" + UUID.randomUUID();
    }

    @Test
    void withoutATokenEveryRouteIs401() {
        for (String route : WRITES) {
            assertEnvelope(api.post(route, null, BODY), 401, "unauthorized", route);
        }
        assertEnvelope(api.post(USAGE, null, BODY), 401, "unauthorized", USAGE);
        for (String route : READS) {
            assertEnvelope(api.get(route, null), 401, "unauthorized", route);
        }
    }

    @Test
    void membersViewersAndServicesCannotWrite() {
        for (Role role : List.of(Role.MEMBER, Role.VIEWER, Role.SERVICE, Role.OPERATOR)) {
            String token = BillingApi.token(tenant, role);
            for (String route : WRITES) {
                assertEnvelope(api.post(route, token, BODY, "Idempotency-Key", "k"), 403, "forbidden", route);
            }
        }
        for (Role role : List.of(Role.MEMBER, Role.VIEWER, Role.OPERATOR)) {
            assertEnvelope(api.post(USAGE, BillingApi.token(tenant, role), BODY), 403, "forbidden", USAGE);
        }
    }

    @Test
    void servicesAndTokensWithoutATenantCannotRead() {
        for (String route : READS) {
            assertEnvelope(api.get(route, BillingApi.token(tenant, Role.SERVICE)), 403, "forbidden", route);
            assertEnvelope(api.get(route, BillingApi.token(null, Role.OWNER)), 403, "forbidden", route);
        }
        assertEnvelope(api.post(WRITES.get(0), BillingApi.token(null, Role.OWNER), BODY), 403, "forbidden", "start");
    }

    @Test
    void everyMemberRoleReads() {
        for (Role role : List.of(Role.OWNER, Role.ADMIN, Role.MEMBER, Role.VIEWER)) {
            String token = BillingApi.token(tenant, role);
            assertThat(api.get("/api/v1/billing/plans", token).status()).isEqualTo(200);
            assertThat(api.get("/api/v1/billing/invoices", token).status()).isEqualTo(200);
            assertThat(api.get("/api/v1/billing/usage", token).status()).isEqualTo(200);
            assertThat(api.get("/api/v1/billing/subscription", token).status()).isEqualTo(404);
        }
    }

    @Test
    void anotherTenantNeverSeesOrReplaysThisTenantsBilling() {
        String owner = BillingApi.token(tenant, Role.OWNER);
        Response started =
                api.post("/api/v1/billing/start", owner, "{\"plan_code\":\"starter\"}", "Idempotency-Key", "shared");
        assertThat(started.status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.get("/api/v1/billing/invoices", owner)
                                .json()
                                .path("invoices")
                                .size()
                        > 0);
        assertThat(api.post(USAGE, owner, "{\"feature_key\":\"agent_runs\",\"quantity\":4,\"idempotency_key\":\"u\"}")
                        .status())
                .isEqualTo(202);

        String other = BillingApi.token("t_" + UUID.randomUUID(), Role.OWNER);
        assertThat(api.get("/api/v1/billing/subscription", other).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/billing/invoices", other)
                        .json()
                        .path("invoices")
                        .size())
                .isZero();
        assertThat(api.get("/api/v1/billing/usage", other).json().path("daily").size())
                .isZero();
        assertThat(api.get("/api/v1/billing/usage", other)
                                .json()
                                .path("features")
                                .get(0)
                                .path("pending")
                                .asLong()
                        + api.get("/api/v1/billing/usage", other)
                                .json()
                                .path("features")
                                .get(0)
                                .path("reported")
                                .asLong())
                .isZero();
        // keys are per tenant: the same key and body is the other tenant's own request
        Response otherStart =
                api.post("/api/v1/billing/start", other, "{\"plan_code\":\"starter\"}", "Idempotency-Key", "shared");
        assertThat(otherStart.status()).isEqualTo(201);
        assertThat(otherStart.header("Idempotent-Replayed")).isEmpty();
        assertThat(otherStart
                        .json()
                        .path("subscription")
                        .path("stripe_subscription_id")
                        .asString())
                .isNotEqualTo(started.json()
                        .path("subscription")
                        .path("stripe_subscription_id")
                        .asString());
        // and the same usage key is its own report (no customer mix-up, no conflict)
        Response otherUsage =
                api.post(USAGE, other, "{\"feature_key\":\"agent_runs\",\"quantity\":9,\"idempotency_key\":\"u\"}");
        assertThat(otherUsage.status()).isEqualTo(202);
    }

    private static void assertEnvelope(Response response, int status, String error, String route) {
        assertThat(response.status()).as(route + ": " + response.body()).isEqualTo(status);
        assertThat(response.error()).as(route).isEqualTo(error);
        assertThat(response.json().path("message").asString()).as(route).isNotBlank();
    }
}
