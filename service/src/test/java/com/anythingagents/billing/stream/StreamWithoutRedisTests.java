package com.anythingagents.billing.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.HttpProbe;
import com.anythingagents.billing.ServiceInstance;
import com.anythingagents.billing.SseStream;
import com.anythingagents.billing.TestStripe;
import com.anythingagents.billing.security.Role;
import com.anythingagents.billing.webhook.SignedDelivery;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** ENABLE_BILLING_STREAM=true with no Redis URL: the service boots, and only the stream says why it cannot serve. */
class StreamWithoutRedisTests {

    private static ServiceInstance service;

    @BeforeAll
    static void start() {
        // an empty REDIS_URL: local mode leaves it alone (it only fills in unset variables)
        service = ServiceInstance.start("stream_no_redis", Map.of("REDIS_URL", "", "ENABLE_BILLING_STREAM", "true"));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void streamAnswers503WithAJsonBodySayingWhy() {
        try (SseStream stream = SseStream.open(service.port(), StreamCluster.token("acme", Role.MEMBER))) {
            assertThat(stream.status()).isEqualTo(503);
            JsonNode body = JsonMapper.builder().build().readTree(stream.errorBody());
            assertThat(body.get("error").asString()).isEqualTo("stream_unavailable");
            assertThat(body.get("message").asString()).contains("Redis").contains("REDIS_URL");
        }
    }

    @Test
    void theRestOfTheServiceIsUnaffected() {
        HttpProbe http = new HttpProbe(service.port());
        String token = StreamCluster.token("acme", Role.MEMBER);
        String event =
                SignedDelivery.event(SignedDelivery.newEventId(), "customer.created", "acme", false, Instant.now());

        HttpResponse<String> webhook =
                SignedDelivery.postSigned(service.port(), TestStripe.WEBHOOK_SECRET, Instant.now(), event);

        assertThat(webhook.statusCode()).isEqualTo(200);
        assertThat(webhook.body()).contains("\"received\"");
        assertThat(http.get("/actuator/health").json().get("status").asString()).isEqualTo("UP");
        assertThat(http.get("/api/v1/billing/events", token).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/billing/activity", token).status()).isEqualTo(200);
    }
}
