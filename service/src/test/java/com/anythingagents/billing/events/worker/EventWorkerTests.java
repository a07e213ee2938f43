package com.anythingagents.billing.events.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.ManualPipelineConfiguration.SettableClock;
import com.anythingagents.billing.ManualPipelineTest;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.events.EventStatus;
import com.anythingagents.billing.events.ProbeHandler;
import com.anythingagents.billing.events.ProcessingOutcome;
import com.anythingagents.billing.events.Replay;
import com.anythingagents.billing.events.StoredEvent;
import com.anythingagents.billing.events.store.StripeEventStore;
import com.anythingagents.billing.webhook.SignedDelivery;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The worker in manual mode, time moved by hand: retries, dead events, replays and crashed leases. */
@ManualPipelineTest
class EventWorkerTests {

    @LocalServerPort
    int port;

    @Autowired
    EventWorker worker;

    @Autowired
    EventReplayer replayer;

    @Autowired
    StripeEventStore store;

    @Autowired
    RetryPolicy retries;

    @Autowired
    SettableClock clock;

    @Autowired
    ProbeHandler probe;

    @Autowired
    ServiceSettings settings;

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void processEverythingLeft() {
        // later tests start from an empty queue
        clock.advance(Duration.ofDays(1));
        jdbc.sql("update stripe_events set status = 'processed' where status <> 'processed'")
                .update();
    }

    @Test
    void failingHandlerMarksEventFailedAndRetriesWithBackoffUntilProcessed() {
        String id = deliver();
        probe.failWith(id, "ledger unavailable");

        Instant firstFailure = clock.instant();
        worker.pollOnce(firstFailure);

        StoredEvent failed = store.find(id).orElseThrow();
        assertThat(failed.status()).isEqualTo(EventStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.lastError()).contains("IllegalStateException: ledger unavailable");
        assertThat(failed.nextAttemptAt().orElseThrow()).isBetween(firstFailure, firstFailure.plus(retries.ceiling(1)));

        // not due yet: nothing happens one millisecond before the scheduled attempt
        Instant due = failed.nextAttemptAt().orElseThrow();
        worker.pollOnce(due.minusMillis(1));
        assertThat(store.find(id).orElseThrow().attempts()).isEqualTo(1);

        clock.advance(Duration.between(clock.instant(), due));
        worker.pollOnce(due);
        StoredEvent second = store.find(id).orElseThrow();
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.nextAttemptAt().orElseThrow()).isBetween(due, due.plus(retries.ceiling(2)));

        probe.succeed(id);
        worker.pollOnce(second.nextAttemptAt().orElseThrow());
        StoredEvent processed = store.find(id).orElseThrow();
        assertThat(processed.status()).isEqualTo(EventStatus.PROCESSED);
        assertThat(processed.lastError()).isEmpty();
        assertThat(processed.tenantId()).contains("acme");
        assertThat(probe.invocations(id)).isEqualTo(3);
    }

    @Test
    void eventIsDeadAfterTheLastAttemptAndReplayResetsAttempts() {
        String id = deliver();
        probe.failWith(id, "still broken");
        for (int attempt = 1; attempt <= retries.maxAttempts(); attempt++) {
            worker.pollOnce(clock.instant().plus(Duration.ofDays(attempt)));
        }
        StoredEvent dead = store.find(id).orElseThrow();
        assertThat(dead.status()).isEqualTo(EventStatus.FAILED);
        assertThat(dead.attempts()).isEqualTo(retries.maxAttempts());
        assertThat(dead.dead()).isTrue();
        assertThat(jdbc.sql("select next_attempt_at = 'infinity' from stripe_events where stripe_event_id = ?")
                        .param(id)
                        .query(Boolean.class)
                        .single())
                .isTrue();

        worker.pollOnce(clock.instant().plus(Duration.ofDays(3650)));
        assertThat(probe.invocations(id)).isEqualTo(retries.maxAttempts());

        probe.succeed(id);
        Replay replay = replayer.replay(id);
        assertThat(replay)
                .isInstanceOfSatisfying(
                        Replay.Done.class,
                        done -> assertThat(done.outcome().result()).isEqualTo(ProcessingOutcome.Result.PROCESSED));
        StoredEvent replayed = store.find(id).orElseThrow();
        assertThat(replayed.status()).isEqualTo(EventStatus.PROCESSED);
        assertThat(replayed.attempts()).as("the replay is attempt 1").isEqualTo(1);
    }

    @Test
    void failedReplayStartsCountingAttemptsAgain() {
        String id = deliver();
        probe.failWith(id, "first");
        worker.pollOnce(clock.instant());
        worker.pollOnce(clock.instant().plus(Duration.ofDays(1)));
        assertThat(store.find(id).orElseThrow().attempts()).isEqualTo(2);

        Replay replay = replayer.replay(id);

        assertThat(replay)
                .isInstanceOfSatisfying(
                        Replay.Done.class,
                        done -> assertThat(done.outcome().result())
                                .isEqualTo(ProcessingOutcome.Result.RETRY_SCHEDULED));
        assertThat(store.find(id).orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void eventLeftByACrashedInstanceIsProcessedOnceItsLeaseExpires() {
        String id = SignedDelivery.newEventId();
        Instant now = clock.instant();
        // committed, claimed by an instance that died before finishing
        jdbc.sql("""
                        insert into stripe_events (stripe_event_id, event_type, stripe_created_at, payload, status,
                            next_attempt_at, locked_until, locked_by, received_at)
                        values (:id, :type, :created, cast(:payload as jsonb), 'received', :created, :lease,
                            'crashed-host:1', :created)""")
                .param("id", id)
                .param("type", ProbeHandler.TYPE)
                .param("created", OffsetDateTime.ofInstant(now.minusSeconds(600), ZoneOffset.UTC))
                .param("lease", OffsetDateTime.ofInstant(now.plusSeconds(60), ZoneOffset.UTC))
                .param("payload", SignedDelivery.event(id, ProbeHandler.TYPE, "globex", false, now))
                .update();

        worker.pollOnce(now);
        assertThat(probe.invocations(id)).as("leased by someone else").isZero();

        worker.pollOnce(now.plusSeconds(61));
        assertThat(probe.invocations(id)).isEqualTo(1);
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(EventStatus.PROCESSED);
    }

    @Test
    void replayOfUnknownEventSaysSo() {
        assertThat(replayer.replay("evt_never_stored")).isInstanceOf(Replay.Unknown.class);
    }

    private String deliver() {
        String id = SignedDelivery.newEventId();
        var response = SignedDelivery.postSigned(
                port,
                settings.stripe().orElseThrow().webhookSecrets().get(0),
                clock.instant(),
                SignedDelivery.event(id, ProbeHandler.TYPE, "acme", false, clock.instant()));
        assertThat(response.statusCode()).isEqualTo(200);
        return id;
    }
}
