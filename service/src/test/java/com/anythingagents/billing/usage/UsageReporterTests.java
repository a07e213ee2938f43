package com.anythingagents.billing.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.ManualPipelineConfiguration.SettableClock;
import com.anythingagents.billing.ManualPipelineTest;
import com.anythingagents.billing.MeterUsage;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.local.OwnStripe;
import com.anythingagents.billing.stripe.StripeClock;
import com.anythingagents.billing.stripe.StripeGateway;
import com.stripe.exception.StripeException;
import com.stripe.param.CustomerCreateParams;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The usage outbox worker, one poll at a time on a clock the test moves, against an emulator of its
 * own whose faults nothing else consumes (the manual pipeline's schema: no background worker).
 * Acknowledged usage is never given up while Stripe could still take it, and never billed twice.
 */
@ManualPipelineTest
class UsageReporterTests {

    @Autowired
    UsageRecords records;

    @Autowired
    UsageActivity activity;

    @Autowired
    UsageMetrics metrics;

    @Autowired
    MeterRegistry registry;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    ServiceSettings settings;

    @Autowired
    Environment environment;

    @Autowired
    JdbcClient jdbc;

    OwnStripe stripe;

    SettableClock clock;

    UsageReporter reporter;

    UsageOperations operations;

    String tenant;

    String customer;

    @BeforeEach
    void start() throws StripeException {
        jdbc.sql("delete from usage_records").update(); // this schema's outbox is this class's alone
        stripe = OwnStripe.start();
        clock = new SettableClock(Instant.now()); // this service's clock, and Stripe's as the worker reads it
        StripeGateway gateway = StripeGateway.connect(
                stripe.settings().get("STRIPE_SECRET_KEY"),
                Optional.of(URI.create(stripe.emulator().baseUrl())));
        StripeClock stripeClock = new StripeClock(clock);
        reporter = new UsageReporter(
                records, gateway, activity, metrics, transactions, settings, clock, stripeClock, environment);
        operations = new UsageOperations(records, stripeClock, clock);
        tenant = "t_" + UUID.randomUUID();
        customer = stripe.control()
                .stripe()
                .customers()
                .create(CustomerCreateParams.builder()
                        .putMetadata("tenant_id", tenant)
                        .build())
                .getId();
    }

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    void transientFailuresBeyondTheAlertThresholdStayPendingAndAreDeliveredOnceStripeRecovers() {
        int failures = settings.usage().alertAfterAttempts() + 5; // 25 by default: 5 past the old "give up"
        // 429s: the SDK does not retry them itself, so each attempt of the worker uses exactly one
        stripe.control().fault("POST", "/v2/billing/meter_event_stream", 429, 0, failures);
        long id = store("k1", 7, stripe.emulator().now());
        double overdueBefore = overdue();

        for (int attempt = 1; attempt <= failures; attempt++) {
            reporter.pollOnce();
            StoredUsage usage = stored(id);
            assertThat(usage.status()).as("after attempt %d", attempt).isEqualTo("pending");
            assertThat(usage.attempts()).isEqualTo(attempt);
            clock.advance(settings.usage().retryCap().plusSeconds(1)); // past any jittered delay
        }
        assertThat(stored(id).lastError()).contains("RateLimited");
        assertThat(overdue() - overdueBefore)
                .as("an alert for each failure from the threshold on")
                .isEqualTo(failures - settings.usage().alertAfterAttempts() + 1);

        reporter.pollOnce(); // Stripe recovered

        assertThat(stored(id).status()).isEqualTo("reported");
        assertThat(stored(id).attempts()).isEqualTo(failures + 1);
        assertThat(meterTotal()).isEqualTo(7);
    }

    @Test
    void aServerErrorIsRetriedNotFailed() {
        // one attempt: the SDK's own two retries of a 5xx included
        stripe.control().fault("POST", "/v2/billing/meter_event_stream", 503, 0, 3);
        long id = store("k-5xx", 2, stripe.emulator().now());

        reporter.pollOnce();
        assertThat(stored(id).status()).isEqualTo("pending");
        assertThat(stored(id).lastError()).contains("Unavailable");

        clock.advance(settings.usage().retryCap().plusSeconds(1));
        reporter.pollOnce();
        assertThat(stored(id).status()).isEqualTo("reported");
        assertThat(meterTotal()).isEqualTo(2);
    }

    @Test
    void aReportStripeRefusesFailsAtOnce() {
        refuseNextDelivery();
        long id = store("k-refused", 3, stripe.emulator().now());

        reporter.pollOnce();

        StoredUsage usage = stored(id);
        assertThat(usage.status()).isEqualTo("failed");
        assertThat(usage.attempts()).isEqualTo(1);
        assertThat(usage.lastError()).startsWith("Invalid:");
        assertThat(meterTotal()).isZero();
    }

    @Test
    void usageWhoseWindowClosesWhileStripeFailsBecomesFailedSayingSo() {
        stripe.control().fault("POST", "/v2/billing/meter_event_stream", 429, 0, 1);
        long id = store("k-old", 4, stripe.emulator().now().minus(Duration.ofDays(34)));

        reporter.pollOnce();
        assertThat(stored(id).status()).isEqualTo("pending");

        clock.advance(Duration.ofDays(2)); // Stripe's window for its timestamp closed meanwhile
        reporter.pollOnce();

        StoredUsage usage = stored(id);
        assertThat(usage.status()).isEqualTo("failed");
        assertThat(usage.lastError()).isEqualTo(UsageReporter.WINDOW_CLOSED).contains("35 days old");
        assertThat(meterTotal()).as("not sent past the window").isZero();
    }

    @Test
    void usageWithinAnHourOfTheWindowsEndIsNotSentWhereStripeCouldDropIt() {
        long id = store(
                "k-edge", 2, stripe.emulator().now().minus(Duration.ofDays(35).minusMinutes(30)));

        reporter.pollOnce();

        StoredUsage usage = stored(id);
        assertThat(usage.status()).isEqualTo("failed");
        assertThat(usage.lastError()).isEqualTo(UsageReporter.WINDOW_CLOSED);
        assertThat(meterTotal()).as("not sent at the edge").isZero();
    }

    @Test
    void aSendThatMayHaveReachedStripeIsNotRepeatedPastStripesIdentifierMemory() {
        // a 5xx: Stripe may have counted the event without our hearing of it (SDK retries included)
        stripe.control().fault("POST", "/v2/billing/meter_event_stream", 503, 0, 3);
        long id = store("k-unknown", 2, stripe.emulator().now());
        reporter.pollOnce();
        assertThat(stored(id).status()).isEqualTo("pending");

        clock.advance(Duration.ofHours(24)); // Stripe may have forgotten the identifier by now
        reporter.pollOnce();

        StoredUsage usage = stored(id);
        assertThat(usage.status()).isEqualTo("failed");
        assertThat(usage.lastError()).isEqualTo(UsageReporter.OUTCOME_UNKNOWN);
        assertThat(meterTotal()).as("not sent again").isZero();

        // the operator checked Stripe's summaries: it is missing, so it is re-queued and sent once
        assertThat(operations.requeue(List.of(id))).containsExactly(id);
        reporter.pollOnce();
        assertThat(stored(id).status()).isEqualTo("reported");
        assertThat(meterTotal()).isEqualTo(2);
    }

    @Test
    void aReplayedFailedReportIsDeliveredExactlyOnceEvenIfStripeHadItAlready() {
        refuseNextDelivery();
        long id = store("k-replayed", 5, stripe.emulator().now());
        reporter.pollOnce();
        assertThat(stored(id).status()).isEqualTo("failed");

        assertThat(operations.requeue(List.of(id))).containsExactly(id);
        assertThat(stored(id).status()).isEqualTo("pending");
        assertThat(stored(id).attempts()).isZero();
        assertThat(stored(id).lastError()).isNull();
        reporter.pollOnce();

        assertThat(stored(id).status()).isEqualTo("reported");
        assertThat(meterTotal()).isEqualTo(5);

        // a report Stripe has although it was marked failed (say, an answer lost after Stripe took it):
        // re-queued, it is sent with the same identifier and Stripe keeps one event
        jdbc.sql("update usage_records set status = 'failed' where id = ?")
                .param(id)
                .update();
        assertThat(operations.requeue(List.of(id))).containsExactly(id);
        reporter.pollOnce();

        assertThat(stored(id).status()).isEqualTo("reported");
        assertThat(meterTotal()).isEqualTo(5);
    }

    @Test
    void aFailedReportPastStripesWindowIsNotRequeued() {
        refuseNextDelivery();
        long id = store("k-too-late", 6, stripe.emulator().now());
        reporter.pollOnce();

        clock.advance(Duration.ofDays(36));

        assertThat(operations.windowOpen(stored(id))).isFalse();
        assertThat(operations.requeue(List.of(id))).isEmpty();
        assertThat(stored(id).status()).isEqualTo("failed");
    }

    /** The stream refuses the batch, then v1 refuses the event itself: Stripe's "invalid request". */
    private void refuseNextDelivery() {
        stripe.control().fault("POST", "/v2/billing/meter_event_stream", 400, 0, 1);
        stripe.control().fault("POST", "/v1/billing/meter_events", 400, 0, 1);
    }

    private long store(String key, long quantity, Instant occurredAt) {
        return records.insert(tenant, "agent_runs", quantity, occurredAt, key, customer, "agent_run", clock.instant())
                .orElseThrow()
                .id();
    }

    private StoredUsage stored(long id) {
        return operations.find(id).orElseThrow();
    }

    private double overdue() {
        return registry.get("billing.usage.overdue").counter().count();
    }

    private long meterTotal() {
        return MeterUsage.total(stripe.control().stripe(), stripe.emulator().now(), "agent_run", customer);
    }
}
