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
import com.anythingagents.billing.events.store.ClaimedEvent;
import com.anythingagents.billing.events.store.EventQueue;
import com.anythingagents.billing.events.store.StripeEventStore;
import com.anythingagents.billing.webhook.SignedDelivery;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The worker in manual mode, time moved by hand: retries, dead events, replays, crashed and lost
 * leases, the heartbeat, one-by-one fallback and in-order hand-over between workers.
 */
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

    @Autowired
    EventQueue queue;

    @Autowired
    WorkerSettings workerSettings;

    @Autowired
    MeterRegistry meters;

    private final ExecutorService otherConnection = Executors.newSingleThreadExecutor();

    @AfterEach
    void processEverythingLeft() {
        otherConnection.shutdownNow();
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

    @Test
    void handlerThatThrowsAnErrorFailsTheAttemptAndTheEventEndsDeadNotRetriedForever() {
        String id = deliver();
        probe.failWithError(id, "broken library");

        for (int attempt = 1; attempt <= retries.maxAttempts() + 2; attempt++) {
            worker.pollOnce(clock.instant().plus(Duration.ofDays(attempt)));
        }

        StoredEvent dead = store.find(id).orElseThrow();
        assertThat(dead.dead()).isTrue();
        assertThat(dead.attempts()).isEqualTo(retries.maxAttempts());
        assertThat(dead.lastError()).contains("AssertionError: broken library");
        assertThat(probe.invocations(id)).isEqualTo(retries.maxAttempts());
    }

    @Test
    void lastAttemptThatWasClaimedButNeverFinishedIsDeclaredDeadInsteadOfRetried() {
        String id = deliver();
        // its worker claimed the last attempt and died (kill -9, an Error in the loop itself)
        jdbc.sql("update stripe_events set attempts = ?, locked_by = 'dead-host#1', locked_until = ?"
                        + " where stripe_event_id = ?")
                .params(
                        retries.maxAttempts(),
                        OffsetDateTime.ofInstant(clock.instant().minusSeconds(1), ZoneOffset.UTC),
                        id)
                .update();

        worker.pollOnce(clock.instant());

        StoredEvent dead = store.find(id).orElseThrow();
        assertThat(dead.dead()).isTrue();
        assertThat(dead.lastError().orElseThrow()).contains("claimed but never finished");
        assertThat(dead.attempts()).as("finding it abandoned is no attempt").isEqualTo(retries.maxAttempts());
        assertThat(probe.invocations(id)).isZero();
    }

    @Test
    void eventsOfAWorkerThatDiedAreTakenOverOnceItsShortLeaseExpires() {
        String id = deliver();
        Instant claimedAt = clock.instant();
        assertThat(queue.claim("died-host#1", claimedAt, claimedAt.plus(workerSettings.lease()), 10))
                .extracting(ClaimedEvent::stripeEventId)
                .contains(id);

        worker.pollOnce(claimedAt.plus(workerSettings.lease()).minusSeconds(1));
        assertThat(probe.invocations(id)).as("still leased").isZero();
        worker.pollOnce(claimedAt.plus(workerSettings.lease()).plusSeconds(1));

        assertThat(workerSettings.lease()).isLessThanOrEqualTo(Duration.ofSeconds(15));
        StoredEvent processed = store.find(id).orElseThrow();
        assertThat(processed.status()).isEqualTo(EventStatus.PROCESSED);
        assertThat(processed.attempts()).as("the dead worker's attempt counts").isEqualTo(2);
    }

    @Test
    void poisonEventAmongItsCustomersEventsGetsItsOwnErrorAndItsNeighboursAreProcessed() {
        Instant now = clock.instant();
        String first = deliver("poison-tenant", now.minusSeconds(3));
        String poison = deliver("poison-tenant", now.minusSeconds(2));
        String third = deliver("poison-tenant", now.minusSeconds(1));
        String neighbour = deliver("poison-neighbour", now.minusSeconds(2));
        probe.failWith(poison, "this one is broken");

        worker.pollOnce(now);

        assertThat(store.find(first).orElseThrow().status()).isEqualTo(EventStatus.PROCESSED);
        assertThat(store.find(third).orElseThrow().status()).isEqualTo(EventStatus.PROCESSED);
        assertThat(store.find(neighbour).orElseThrow().status()).isEqualTo(EventStatus.PROCESSED);
        StoredEvent failed = store.find(poison).orElseThrow();
        assertThat(failed.status()).isEqualTo(EventStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.lastError()).contains("IllegalStateException: this one is broken");
        assertThat(failed.nextAttemptAt()).isPresent();
        assertThat(activityOf(first)).isEqualTo(1);
        assertThat(activity(poison)).singleElement().satisfies(item -> {
            assertThat(item.processing()).isEqualTo("failed");
            assertThat(item.tenant()).isEqualTo("poison-tenant");
        });
    }

    @Test
    void eventWhoseLeaseWasTakenOverBeforeItsStatusUpdateIsRolledBackAndLeftToItsNewOwner() {
        String stolen = deliver("lease-victim", clock.instant().minusSeconds(2));
        String other = deliver("lease-bystander", clock.instant().minusSeconds(1));
        probe.onHandle(stolen, () -> steal(stolen));

        worker.pollOnce(clock.instant());

        assertThat(jdbc.sql("select status, locked_by from stripe_events where stripe_event_id = ?")
                        .param(stolen)
                        .query()
                        .singleRow())
                .containsEntry("status", "received")
                .containsEntry("locked_by", "thief#1");
        assertThat(activityOf(stolen)).as("its work rolled back").isZero();
        assertThat(store.find(other).orElseThrow().status()).isEqualTo(EventStatus.PROCESSED);
        assertThat(activityOf(other)).isEqualTo(1);
    }

    @Test
    void heartbeatRenewsTheLeasesItHoldsAndSkipsEventsAnotherWorkerTookOver() {
        Instant now = clock.instant();
        String renewed = deliver("heartbeat-a", now.minusSeconds(2));
        String lost = deliver("heartbeat-b", now.minusSeconds(1));
        double lostBefore = meters.get("stripe.event.leases.lost").counter().count();
        List<OffsetDateTime> leaseSeen = new CopyOnWriteArrayList<>();
        AtomicBoolean once = new AtomicBoolean();
        probe.onHandle(renewed, () -> {
            if (once.getAndSet(true)) {
                return; // the batch is applied again without the lost event: nothing more to do
            }
            steal(lost);
            onOtherConnection(() -> worker.heartbeat(now.plusSeconds(5)));
            leaseSeen.add(
                    onOtherConnection(() -> jdbc.sql("select locked_until from stripe_events where stripe_event_id = ?")
                            .param(renewed)
                            .query(OffsetDateTime.class)
                            .single()));
        });

        worker.pollOnce(now);

        assertThat(leaseSeen.get(0).toInstant()).isEqualTo(now.plusSeconds(5).plus(workerSettings.lease()));
        assertThat(store.find(renewed).orElseThrow().status()).isEqualTo(EventStatus.PROCESSED);
        assertThat(store.find(lost).orElseThrow().status()).isEqualTo(EventStatus.RECEIVED);
        assertThat(probe.invocations(lost)).as("skipped once known lost").isEqualTo(1);
        assertThat(meters.get("stripe.event.leases.lost").counter().count()).isEqualTo(lostBefore + 1);
    }

    @Test
    void laterEventsOfACustomerAnotherWorkerIsApplyingAreGivenBackUntouched() {
        Instant now = clock.instant();
        String older = deliver("deferred-tenant", now.minusSeconds(2));
        String later = deliver("deferred-tenant", now.minusSeconds(1));
        // another worker holds the older event, and has not applied it yet
        assertThat(queue.claim("other-host#7", now, now.plusSeconds(60), 1))
                .extracting(ClaimedEvent::stripeEventId)
                .containsExactly(older);

        worker.pollOnce(now);

        assertThat(probe.invocations(later)).isZero();
        assertThat(jdbc.sql("select status, locked_by, attempts from stripe_events where stripe_event_id = ?")
                        .param(later)
                        .query()
                        .singleRow())
                .containsEntry("status", "received")
                .containsEntry("locked_by", null)
                .containsEntry("attempts", 0);

        // the other worker's lease runs out: this one applies both, in order
        worker.pollOnce(now.plusSeconds(61));
        assertThat(store.find(older).orElseThrow().status()).isEqualTo(EventStatus.PROCESSED);
        assertThat(store.find(later).orElseThrow().status()).isEqualTo(EventStatus.PROCESSED);
        assertThat(jdbc.sql("select stripe_event_id from billing_activity where stripe_event_id in (?, ?) order by seq")
                        .params(older, later)
                        .query(String.class)
                        .list())
                .containsExactly(older, later);
    }

    @Test
    void failedAttemptRecordsOneFailedActivityItemForTheTenantHoweverOftenItFails() {
        String id = deliver("failing-" + UUID.randomUUID(), clock.instant());
        probe.failWith(
                id, "ledger unavailable\nquery: select * from secret_table where key = 'sk_test_123456789abcdef'");

        worker.pollOnce(clock.instant());
        Item first = activity(id).get(0);
        worker.pollOnce(clock.instant().plus(Duration.ofDays(1)));

        assertThat(store.find(id).orElseThrow().attempts()).isEqualTo(2);
        assertThat(activity(id)).as("the first failure's item, kept").containsExactly(first);
        assertThat(first.processing()).isEqualTo("failed");
        assertThat(first.type()).isEqualTo(ProbeHandler.TYPE);
        assertThat(first.summary())
                .isEqualTo("Processing failed on attempt 1; it will be retried: IllegalStateException: ledger"
                        + " unavailable");
    }

    @Test
    void failureOnTheLastAttemptSaysTheEventIsDeadAndMasksWhatLooksLikeASecret() {
        String id = deliver("dead-" + UUID.randomUUID(), clock.instant());
        jdbc.sql("update stripe_events set attempts = ? where stripe_event_id = ?")
                .params(retries.maxAttempts() - 1, id)
                .update();
        probe.failWith(id, "Stripe refused key sk_test_51HxAbCdEfGhIjKlMnOp\nbody: {\"card\":\"4242\"}");

        worker.pollOnce(clock.instant());

        assertThat(store.find(id).orElseThrow().dead()).isTrue();
        assertThat(activity(id))
                .singleElement()
                .satisfies(item -> assertThat(item.summary())
                        .isEqualTo("Processing failed on attempt " + retries.maxAttempts()
                                + ", its last; it waits for an operator's replay: IllegalStateException: Stripe refused key"
                                + " sk_test_…MnOp"));
    }

    @Test
    void successfulRetryReplacesTheFailedItemWithTheProcessedOneUnderANewSequence() {
        String tenant = "retried-" + UUID.randomUUID();
        String id = deliverAndFailOnce(tenant);
        Item failed = activity(id).get(0);

        probe.succeed(id);
        worker.pollOnce(clock.instant().plus(Duration.ofDays(1)));

        assertThat(store.find(id).orElseThrow().status()).isEqualTo(EventStatus.PROCESSED);
        assertThat(activity(id)).singleElement().satisfies(item -> {
            assertThat(item.processing()).isEqualTo("processed");
            assertThat(item.summary()).isEqualTo("Probe " + id);
            assertThat(item.tenant()).isEqualTo(tenant);
            assertThat(item.seq()).isGreaterThan(failed.seq());
        });
    }

    @Test
    void operatorReplayOfADeadEventLeavesOnlyItsProcessedItemAndASecondReplayAddsNothing() {
        String id = deliver("replayed-" + UUID.randomUUID(), clock.instant());
        probe.failWith(id, "still broken");
        for (int attempt = 1; attempt <= retries.maxAttempts(); attempt++) {
            worker.pollOnce(clock.instant().plus(Duration.ofDays(attempt)));
        }
        assertThat(store.find(id).orElseThrow().dead()).isTrue();
        Item failed = activity(id).get(0);
        assertThat(activity(id)).containsExactly(failed);

        probe.succeed(id);
        assertThat(replayer.replay(id)).isInstanceOf(Replay.Done.class);
        List<Item> processed = activity(id);
        assertThat(replayer.replay(id)).isInstanceOf(Replay.Done.class);

        assertThat(processed).singleElement().satisfies(item -> {
            assertThat(item.processing()).isEqualTo("processed");
            assertThat(item.seq()).isGreaterThan(failed.seq());
        });
        assertThat(activity(id)).as("a replay of a processed event").isEqualTo(processed);
    }

    @Test
    void eventThatChangesNothingWhenItFinallySucceedsStillReplacesItsFailedItem() {
        String tenant = "no-change-" + UUID.randomUUID();
        String id = deliverAndFailOnce(tenant);
        probe.succeed(id);
        probe.changeNothing(id);

        worker.pollOnce(clock.instant().plus(Duration.ofDays(1)));

        assertThat(activity(id)).singleElement().satisfies(item -> {
            assertThat(item.processing()).isEqualTo("processed");
            assertThat(item.tenant()).isEqualTo(tenant);
            assertThat(item.summary()).isEqualTo("Processed after a failed attempt; it changed nothing");
        });
    }

    @Test
    void failureOfAnEventWithoutAKnownTenantRecordsNoActivity() {
        String id = SignedDelivery.newEventId();
        String noTenant = """
                {"id":"%s","object":"event","api_version":"2026-07-29.dahlia","created":%d,"livemode":false,
                 "pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"%s",
                 "data":{"object":{"id":"obj_%s","object":"probe","customer":"cus_nobody_%s","metadata":{}}}}""".formatted(id, clock.instant().getEpochSecond(), ProbeHandler.TYPE, id, id);
        assertThat(SignedDelivery.postSigned(
                                port,
                                settings.stripe().orElseThrow().webhookSecrets().get(0),
                                clock.instant(),
                                noTenant)
                        .statusCode())
                .isEqualTo(200);
        probe.failWith(id, "ledger unavailable");

        worker.pollOnce(clock.instant());

        assertThat(store.find(id).orElseThrow().status()).isEqualTo(EventStatus.FAILED);
        assertThat(activityOf(id)).isZero();
    }

    /** Delivers an event of {@code tenant} whose first attempt fails, and makes that attempt. */
    private String deliverAndFailOnce(String tenant) {
        String id = deliver(tenant, clock.instant());
        probe.failWith(id, "ledger unavailable");
        worker.pollOnce(clock.instant());
        return id;
    }

    /** An activity row of an event. */
    record Item(long seq, String tenant, String type, String processing, String summary) {}

    private List<Item> activity(String eventId) {
        return jdbc.sql("select seq, tenant_id, event_type, processing_status, summary from billing_activity"
                        + " where stripe_event_id = ? order by seq")
                .param(eventId)
                .query((rs, n) ->
                        new Item(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)))
                .list();
    }

    private void steal(String eventId) {
        onOtherConnection(() -> jdbc.sql("update stripe_events set locked_by = 'thief#1', locked_until = ?"
                        + " where stripe_event_id = ?")
                .params(OffsetDateTime.ofInstant(clock.instant().plusSeconds(3_600), ZoneOffset.UTC), eventId)
                .update());
    }

    /** Runs outside the worker's transaction, as another instance would. */
    private <T> T onOtherConnection(Callable<T> work) {
        try {
            return otherConnection.submit(work).get(30, TimeUnit.SECONDS);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void onOtherConnection(Runnable work) {
        onOtherConnection(() -> {
            work.run();
            return null;
        });
    }

    private long activityOf(String eventId) {
        return jdbc.sql("select count(*) from billing_activity where stripe_event_id = ?")
                .param(eventId)
                .query(Long.class)
                .single();
    }

    private String deliver(String tenant, Instant created) {
        String id = SignedDelivery.newEventId();
        var response = SignedDelivery.postSigned(
                port,
                settings.stripe().orElseThrow().webhookSecrets().get(0),
                clock.instant(),
                SignedDelivery.event(id, ProbeHandler.TYPE, tenant, false, created));
        assertThat(response.statusCode()).isEqualTo(200);
        return id;
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
