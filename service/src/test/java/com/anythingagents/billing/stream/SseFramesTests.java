package com.anythingagents.billing.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.activity.ActivityEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

class SseFramesTests {

    // the service's mapper names properties in snake case (application.yml)
    private final JsonMapper json = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private final SseFrames frames = new SseFrames(json);

    private static String text(SseFrames.Frame frame) {
        return new String(frame.bytes(), StandardCharsets.UTF_8);
    }

    private static ActivityEntry entry(String type, String summary) {
        return new ActivityEntry(
                42,
                "acme",
                type,
                summary,
                "processed",
                "paid",
                "sub_1",
                "in_1",
                "pro",
                2900L,
                "usd",
                null,
                Instant.parse("2026-12-01T10:00:00Z"),
                "evt_1");
    }

    @Test
    void activityIsItsSequenceItsTypeAndTheItemAsOneLineOfJson() {
        String frame = text(frames.activity(entry("invoice.paid", "Invoice \"in_1\" paid:\n$29.00")));

        assertThat(frame).startsWith("id: 42\nevent: invoice.paid\ndata: {").endsWith("}\n\n");
        String[] lines = frame.split("\n", -1);
        assertThat(lines).hasSize(5); // id, event, data, and the blank line that ends the frame
        JsonNode data = json.readTree(lines[2].substring("data: ".length()));
        assertThat(data.get("seq").asLong()).isEqualTo(42);
        assertThat(data.get("tenant_id").asString()).isEqualTo("acme");
        assertThat(data.get("event_type").asString()).isEqualTo("invoice.paid");
        assertThat(data.get("summary").asString()).isEqualTo("Invoice \"in_1\" paid:\n$29.00");
        assertThat(data.get("amount").asLong()).isEqualTo(2900);
        assertThat(data.get("currency").asString()).isEqualTo("usd");
        assertThat(data.get("usage_quantity").isNull()).isTrue();
        assertThat(data.get("stripe_event_id").asString()).isEqualTo("evt_1");
    }

    @Test
    void anEventNameNeverCarriesALineBreakOrAField() {
        String frame = text(frames.activity(entry("evil\nid: 1\rx", "s")));

        assertThat(frame).contains("\nevent: evil_id__1_x\n");
    }

    @Test
    void readySaysWhereTheStreamStands() {
        assertThat(text(frames.ready("acme", 5)))
                .isEqualTo("id: 5\nevent: ready\ndata: {\"tenant_id\":\"acme\",\"seq\":5}\n\n");
    }

    @Test
    void pingIsACommentAndRetryAHint() {
        assertThat(text(SseFrames.PING)).isEqualTo(": ping\n\n");
        assertThat(text(SseFrames.RETRY_HINT)).isEqualTo("retry: 3000\n\n");
    }
}
