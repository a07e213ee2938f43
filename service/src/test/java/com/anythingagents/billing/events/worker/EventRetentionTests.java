package com.anythingagents.billing.events.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.ManualPipelineConfiguration.SettableClock;
import com.anythingagents.billing.ManualPipelineTest;
import com.anythingagents.billing.webhook.SignedDelivery;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Retention deletes processed events past the retention period and nothing else. */
@ManualPipelineTest
class EventRetentionTests {

    @Autowired
    EventRetention retention;

    @Autowired
    SettableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Test
    void deletesOnlyProcessedEventsOlderThanNinetyDays() {
        Instant now = clock.instant();
        String oldProcessed = store("processed", now.minus(Duration.ofDays(91)));
        String recentProcessed = store("processed", now.minus(Duration.ofDays(89)));
        String oldFailed = store("failed", now.minus(Duration.ofDays(200)));
        String oldReceived = store("received", now.minus(Duration.ofDays(200)));

        retention.pruneBatch();

        assertThat(jdbc.sql("select stripe_event_id from stripe_events where stripe_event_id in (:ids)")
                        .param("ids", List.of(oldProcessed, recentProcessed, oldFailed, oldReceived))
                        .query(String.class)
                        .list())
                .containsExactlyInAnyOrder(recentProcessed, oldFailed, oldReceived);
        jdbc.sql("update stripe_events set status = 'processed' where stripe_event_id in (:ids)")
                .param("ids", List.of(oldFailed, oldReceived))
                .update(); // later tests of this context start from an empty queue
    }

    private String store(String status, Instant receivedAt) {
        String id = SignedDelivery.newEventId();
        OffsetDateTime at = OffsetDateTime.ofInstant(receivedAt, ZoneOffset.UTC);
        jdbc.sql("""
                        insert into stripe_events (stripe_event_id, event_type, stripe_created_at, payload, status,
                            next_attempt_at, received_at)
                        values (:id, 'test.retention', :at, cast(:payload as jsonb), :status, 'infinity', :at)""")
                .param("id", id)
                .param("at", at)
                .param("status", status)
                .param("payload", SignedDelivery.event(id, "test.retention", "acme", false, receivedAt))
                .update();
        return id;
    }
}
