package com.anythingagents.billing.events.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.TestStripe;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.events.ProbeHandler;
import com.anythingagents.billing.security.Role;
import com.anythingagents.billing.security.TokenMinter;
import com.anythingagents.billing.webhook.SignedDelivery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Operators' event API (list, show, replay) and a tenant's own ledger, over real HTTP. */
@BillingServiceTest
class StripeEventsApiTests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TokenMinter tokens =
            new TokenMinter(TestStripe.JWT_SECRET, Optional.empty(), Optional.empty(), Clock.systemUTC());

    @LocalServerPort
    int port;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @org.junit.jupiter.api.AfterEach
    void deleteTestEvents() {
        // the database is shared with every other test class
        jdbc.sql("delete from stripe_events where stripe_event_id like 'evt_test_%' and status = 'processed'")
                .update();
    }

    @Autowired
    ServiceSettings settings;

    @Autowired
    JsonMapper json;

    @Test
    void operatorListsShowsAndReplaysEvents() throws Exception {
        String tenant = "t_" + UUID.randomUUID();
        String id = deliver(tenant);
        String operator = token(null, Role.OPERATOR);
        awaitProcessed(id); // the tenant is known once the worker resolved it

        JsonNode list = get("/api/v1/admin/stripe-events?status=all&tenant=" + tenant + "&limit=10", operator, 200);
        assertThat(list.path("events")).hasSize(1);
        assertThat(list.path("events").get(0).path("event_id").asString()).isEqualTo(id);
        assertThat(list.path("events").get(0).has("payload")).isFalse();

        JsonNode shown = get("/api/v1/admin/stripe-events/" + id, operator, 200);
        assertThat(shown.path("payload")
                        .path("data")
                        .path("object")
                        .path("metadata")
                        .path("tenant_id")
                        .asString())
                .isEqualTo(tenant);

        HttpResponse<String> replay = send("POST", "/api/v1/admin/stripe-events/" + id + "/replay", operator);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(json.readTree(replay.body()).path("status").asString()).isEqualTo("processed");
        assertThat(send("POST", "/api/v1/admin/stripe-events/evt_unknown_0/replay", operator)
                        .statusCode())
                .isEqualTo(404);
        assertThat(get("/api/v1/admin/stripe-events?limit=201", operator, 400)
                        .path("error")
                        .asString())
                .isEqualTo("bad_request");
    }

    @Test
    void adminRoutesRefuseTenantMembers() throws Exception {
        String member = token("acme", Role.MEMBER);
        assertThat(send("GET", "/api/v1/admin/stripe-events", member).statusCode())
                .isEqualTo(403);
        assertThat(send("POST", "/api/v1/admin/stripe-events/evt_x/replay", member)
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void tenantLedgerShowsOnlyTheCallersEventsWithCursor() throws Exception {
        String mine = "t_" + UUID.randomUUID();
        String theirs = "t_" + UUID.randomUUID();
        String first = deliver(mine);
        String second = deliver(mine);
        deliver(theirs);
        String viewer = token(mine, Role.VIEWER);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> get("/api/v1/billing/events", viewer, 200)
                                .path("events")
                                .size()
                        == 2);
        JsonNode page = get("/api/v1/billing/events?limit=1", viewer, 200);
        assertThat(page.path("events").get(0).path("event_id").asString()).isEqualTo(second);
        assertThat(page.path("events").get(0).has("payload")).isFalse();
        JsonNode next = get(
                "/api/v1/billing/events?limit=1&before="
                        + page.path("next_before").asLong(),
                viewer,
                200);
        assertThat(next.path("events").get(0).path("event_id").asString()).isEqualTo(first);
    }

    @Test
    void tenantLedgerFiltersByStatusAndType() throws Exception {
        String mine = "t_" + UUID.randomUUID();
        String id = deliver(mine);
        String viewer = token(mine, Role.VIEWER);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> get("/api/v1/billing/events?status=processed", viewer, 200)
                                .path("events")
                                .size()
                        == 1);

        JsonNode matching = get("/api/v1/billing/events?status=processed&type=" + ProbeHandler.TYPE, viewer, 200);
        assertThat(matching.path("events").get(0).path("event_id").asString()).isEqualTo(id);
        assertThat(get("/api/v1/billing/events?status=failed", viewer, 200).path("events"))
                .isEmpty();
        assertThat(get("/api/v1/billing/events?type=invoice.paid", viewer, 200).path("events"))
                .isEmpty();
        assertThat(get("/api/v1/billing/events?status=lost", viewer, 400)
                        .path("message")
                        .asString())
                .contains("received, processed, failed or all");
    }

    @Test
    void operatorSeesTenantConflictsWithBothValuesAndTenantsDoNot() throws Exception {
        String a = "t_" + UUID.randomUUID();
        String b = "t_" + UUID.randomUUID();
        String customer = "cus_api_" + UUID.randomUUID().toString().substring(0, 8);
        awaitProcessed(deliver(a, customer));
        String flagged = deliver(b, customer);
        awaitProcessed(flagged);
        String operator = token(null, Role.OPERATOR);

        JsonNode conflicts = get("/api/v1/admin/stripe-events?status=all&conflicts=true&tenant=" + a, operator, 200);
        JsonNode ledger = get("/api/v1/billing/events", token(a, Role.VIEWER), 200);

        assertThat(conflicts.path("events")).hasSize(1);
        JsonNode event = conflicts.path("events").get(0);
        assertThat(event.path("event_id").asString()).isEqualTo(flagged);
        assertThat(event.path("tenant_id").asString()).isEqualTo(a);
        assertThat(event.path("customer_id").asString()).isEqualTo(customer);
        assertThat(event.path("tenant_conflict").asString())
                .contains("names tenant " + b)
                .contains("tenant " + a);
        assertThat(ledger.path("events")
                        .valueStream()
                        .map(e -> e.path("event_id").asString()))
                .contains(flagged);
        assertThat(ledger.path("events").valueStream().filter(e -> e.has("tenant_conflict")))
                .isEmpty();
        assertThat(get("/api/v1/billing/events", token(b, Role.VIEWER), 200).path("events"))
                .isEmpty();
    }

    private void awaitProcessed(String id) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "processed"
                        .equals(jdbc.sql("select status from stripe_events where stripe_event_id = ?")
                                .param(id)
                                .query(String.class)
                                .single()));
    }

    private String deliver(String tenant, String customer) {
        String id = SignedDelivery.newEventId();
        String body = SignedDelivery.event(id, ProbeHandler.TYPE, tenant, false, Instant.now())
                .replace("\"customer\":\"cus_" + tenant + "\"", "\"customer\":\"" + customer + "\"");
        HttpResponse<String> response = SignedDelivery.postSigned(
                port, settings.stripe().orElseThrow().webhookSecrets().get(0), Instant.now(), body);
        assertThat(response.statusCode()).isEqualTo(200);
        return id;
    }

    private String deliver(String tenant) {
        String id = SignedDelivery.newEventId();
        HttpResponse<String> response = SignedDelivery.postSigned(
                port,
                settings.stripe().orElseThrow().webhookSecrets().get(0),
                Instant.now(),
                SignedDelivery.event(id, ProbeHandler.TYPE, tenant, false, Instant.now()));
        assertThat(response.statusCode()).isEqualTo(200);
        return id;
    }

    private String token(String tenant, Role role) {
        return tokens.mint("test-user", tenant, List.of(role), Duration.ofMinutes(5));
    }

    private JsonNode get(String path, String token, int expectedStatus) throws Exception {
        HttpResponse<String> response = send("GET", path, token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Bearer " + token)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
