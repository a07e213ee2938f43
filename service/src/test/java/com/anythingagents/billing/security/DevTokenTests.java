package com.anythingagents.billing.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.HttpProbe;
import com.anythingagents.billing.ServiceInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard's sign-in in local mode: POST /api/v1/dev/token hands out a short-lived token for a
 * tenant and a role, signed with the local secret; outside local mode the route does not exist.
 */
@BillingServiceTest
class DevTokenTests {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    record Answer(int status, JsonNode json) {}

    private static Answer post(int port, String body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/dev/token"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static JsonNode claims(String token) {
        String payload = token.split("\\.")[1];
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }

    @Test
    void localModeHandsOutAShortLivedTokenThatTheApiAccepts() {
        Answer answer = post(port, "{\"tenant_id\":\"acme\",\"role\":\"owner\"}");

        assertThat(answer.status()).isEqualTo(200);
        String token = answer.json().get("token").asString();
        JsonNode claims = claims(token);
        assertThat(claims.get("tenant_id").asString()).isEqualTo("acme");
        assertThat(claims.get("roles").valueStream().map(JsonNode::asString)).containsExactly("owner");
        long lifetime = claims.get("exp").asLong() - claims.get("iat").asLong();
        assertThat(lifetime).isEqualTo(DevTokenController.TTL.toSeconds()).isLessThanOrEqualTo(3600);
        assertThat(claims.get("exp").asLong()).isGreaterThan(Instant.now().getEpochSecond());
        assertThat(answer.json().get("expires_in").asLong()).isEqualTo(lifetime);
        assertThat(new HttpProbe(port).get("/api/v1/billing/plans", token).status())
                .isEqualTo(200);
    }

    @Test
    void anOperatorMayHaveNoTenantAndSeesEveryTenantsEvents() {
        Answer answer = post(port, "{\"role\":\"operator\"}");

        assertThat(answer.status()).isEqualTo(200);
        String token = answer.json().get("token").asString();
        assertThat(claims(token).has("tenant_id")).isFalse();
        assertThat(new HttpProbe(port)
                        .get("/api/v1/admin/stripe-events?status=all&limit=1", token)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aLoopbackPeerThatForwardsOrComesFromAnotherPageGetsNoToken() {
        String body = "{\"tenant_id\":\"acme\",\"role\":\"operator\"}";

        // a tunnel or sidecar on this machine, a page that rebound its own name to 127.0.0.1, an odd Origin
        for (String[] headers : List.of(
                new String[] {"X-Forwarded-For", "203.0.113.7"},
                new String[] {"Forwarded", "for=203.0.113.7"},
                new String[] {"Origin", "http://attacker.example"},
                new String[] {"Origin", "not a uri"})) {
            Answer answer = post(port, body, headers);
            assertThat(answer.status()).as(headers[0] + ": " + headers[1]).isEqualTo(403);
            assertThat(answer.json().get("error").asString()).isEqualTo("forbidden");
        }
        assertThat(post(port, body, "Origin", "http://127.0.0.1:" + port).status())
                .isEqualTo(200);
    }

    @Test
    void unknownRoleOrMissingTenantIsRefusedInWords() {
        Answer badRole = post(port, "{\"tenant_id\":\"acme\",\"role\":\"boss\"}");
        Answer noTenant = post(port, "{\"role\":\"owner\"}");
        Answer badTenant = post(port, "{\"tenant_id\":\"a b\",\"role\":\"owner\"}");

        assertThat(badRole.status()).isEqualTo(422);
        assertThat(badRole.json().get("error").asString()).isEqualTo("validation_failed");
        assertThat(badRole.json().get("message").asString()).contains("role must be one of owner, admin");
        assertThat(noTenant.status()).isEqualTo(422);
        assertThat(noTenant.json().get("message").asString()).isEqualTo("tenant_id is required");
        assertThat(badTenant.status()).isEqualTo(422);
        assertThat(badTenant.json().get("details").get("fields").has("tenant_id"))
                .isTrue();
    }

    @Test
    void outsideLocalModeTheRouteDoesNotExist() {
        // the same database, but configured as a deployment is: no local mode, so no dev tokens
        try (ServiceInstance deployed = ServiceInstance.start(
                "dev_token_absent",
                Map.of(
                        "BILLING_LOCAL_MODE", "false",
                        "DATABASE_URL", environment.getProperty("DATABASE_URL"),
                        "REDIS_URL", ""))) {
            Answer answer = post(deployed.port(), "{\"tenant_id\":\"acme\",\"role\":\"owner\"}");

            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.json().get("error").asString()).isEqualTo("not_found");
            assertThat(answer.json().has("token")).isFalse();
        }
    }
}
