package com.anythingagents.billing.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests refused before any controller runs (by Tomcat's parser, by Spring Security's firewall)
 * get the JSON envelope with the right status, over real HTTP from a raw socket, since a client
 * library would refuse to send most of them. Never Tomcat's HTML page.
 */
@BillingServiceTest
class ContainerErrorEnvelopeTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private RawHttp.Response exchange(String request) {
        try (RawHttp raw = new RawHttp(port, Duration.ofSeconds(30))) {
            return raw.exchange(request);
        }
    }

    private static void assertEnvelope(RawHttp.Response response, int status, String error) {
        assertThat(response.status()).as(response.head()).isEqualTo(status);
        assertThat(response.head()).containsIgnoringCase("content-type: application/json");
        assertThat(response.body()).doesNotContainIgnoringCase("<html");
        JsonNode envelope = JSON.readTree(response.body());
        assertThat(envelope.get("error").asString()).isEqualTo(error);
        assertThat(envelope.get("message").asString()).isNotBlank();
    }

    @Test
    void malformedRequestsRefusedByTomcatGetTheEnvelope() {
        Map<String, String> requests = Map.ofEntries(
                Map.entry(
                        "an oversized header",
                        "GET /api/v1/billing/plans HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"),
                Map.entry(
                        "too many headers",
                        "GET /actuator/health HTTP/1.1\r\nHost: x\r\n" + "X-A: 1\r\n".repeat(120) + "\r\n"),
                Map.entry("a NUL in the path", "GET /api/%00/plans HTTP/1.1\r\nHost: x\r\n\r\n"),
                Map.entry("an encoded slash", "GET /api%2fv1/billing/plans HTTP/1.1\r\nHost: x\r\n\r\n"),
                Map.entry("a bad percent escape", "GET /api/%zz HTTP/1.1\r\nHost: x\r\n\r\n"),
                Map.entry("a backslash", "GET /api\\v1 HTTP/1.1\r\nHost: x\r\n\r\n"),
                Map.entry("a raw non-ASCII byte", "GET /caf\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n"),
                Map.entry("an invalid method", "G@T / HTTP/1.1\r\nHost: x\r\n\r\n"),
                Map.entry("no Host header", "GET /actuator/health HTTP/1.1\r\n\r\n"),
                Map.entry("an overlong request line", "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                Map.entry(
                        "a control character in a bearer token",
                        "GET /api/v1/billing/plans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer abc\u0001def\r\n\r\n"),
                Map.entry(
                        "a control character in the webhook signature",
                        "POST /webhooks/stripe HTTP/1.1\r\nHost: x\r\nStripe-Signature: t=1\u0002\r\n"
                                + "Content-Length: 2\r\n\r\n{}"));
        requests.forEach((what, request) -> {
            RawHttp.Response response = exchange(request);
            assertThat(response.status()).as(what).isEqualTo(400);
            assertEnvelope(response, 400, "bad_request");
        });
    }

    @Test
    void requestsTheFirewallRefusesGetTheEnvelope() {
        for (String path :
                new String[] {"//api//v1/billing/plans", "/api/v1;x=1/billing", "/api/%2e%2e/actuator", "/a/%25"}) {
            RawHttp.Response response = exchange("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEnvelope(response, 400, "bad_request");
            assertThat(response.body()).as(path).doesNotContain(path);
        }
    }

    @Test
    void methodsTomcatRefusesGetTheEnvelope() {
        assertEnvelope(exchange("TRACE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 405, "method_not_allowed");
    }

    @Test
    void otherMethodsOnTheWebhookAre405AfterTheBodyIsRead() {
        RawHttp.Response response = exchange(
                "PUT /webhooks/stripe HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{\"a\":1}");

        assertEnvelope(response, 405, "method_not_allowed");
        assertThat(response.head()).containsIgnoringCase("allow: POST");
    }
}
