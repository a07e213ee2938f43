package com.anythingagents.billing.config;

import static com.anythingagents.billing.config.SettingsFixture.problems;
import static com.anythingagents.billing.config.SettingsFixture.settings;
import static com.anythingagents.billing.config.SettingsFixture.valid;
import static com.anythingagents.billing.config.SettingsFixture.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineSettingsTests {

    @Test
    void defaultsRetryTwelveTimesFromThirtySecondsUpToAnHourAndKeepEventsNinetyDays() {
        PipelineSettings pipeline = settings(valid()).pipeline();

        assertThat(pipeline.maxAttempts()).isEqualTo(12);
        assertThat(pipeline.retryBase()).isEqualTo(Duration.ofSeconds(30));
        assertThat(pipeline.retryCap()).isEqualTo(Duration.ofHours(1));
        assertThat(pipeline.retention()).isEqualTo(Duration.ofDays(90));
        assertThat(pipeline.workerThreads()).isEqualTo(2);
    }

    @Test
    void workerDefaultsToBatchesOfAHundredFifteenSecondLeasesAndTwentyStripeReadsASecond() {
        PipelineSettings pipeline = settings(valid()).pipeline();

        assertThat(pipeline.batchSize()).isEqualTo(100);
        assertThat(pipeline.lease()).isEqualTo(Duration.ofSeconds(15));
        assertThat(pipeline.stripeReadsPerSecond()).isEqualTo(20);
    }

    @Test
    void batchesAboveAThousandAndLeasesUnderThreeSecondsAreRejectedWithTheOtherProblems() {
        assertThat(problems(with(Map.of(
                        "BILLING_WORKER_BATCH_SIZE", "5000",
                        "BILLING_WORKER_LEASE_SECONDS", "2",
                        "BILLING_WORKER_STRIPE_READS_PER_SECOND", "0"))))
                .containsExactlyInAnyOrder(
                        "BILLING_WORKER_BATCH_SIZE must be at most 1000 (got 5000): a batch is applied in one"
                                + " transaction",
                        "BILLING_WORKER_LEASE_SECONDS must be at least 3 (got 2): the worker renews it every third"
                                + " of it",
                        "BILLING_WORKER_STRIPE_READS_PER_SECOND must be a whole number above 0 (got \"0\")");
    }

    @Test
    void badValuesAreListedWithTheOtherConfigurationProblems() {
        assertThat(problems(with(Map.of(
                        "BILLING_WEBHOOK_MAX_ATTEMPTS", "0",
                        "BILLING_WORKER_THREADS", "two",
                        "STRIPE_SECRET_KEY", "pk_test_nope"))))
                .containsExactlyInAnyOrder(
                        "STRIPE_SECRET_KEY must start with sk_test_, sk_live_, rk_test_ or rk_live_ (got pk_test_…)",
                        "BILLING_WORKER_THREADS must be a whole number above 0 (got \"two\")",
                        "BILLING_WEBHOOK_MAX_ATTEMPTS must be a whole number above 0 (got \"0\")");
    }

    @Test
    void retryCapBelowTheBaseIsRejected() {
        assertThat(problems(with(
                        Map.of("BILLING_WEBHOOK_RETRY_BASE_SECONDS", "60", "BILLING_WEBHOOK_RETRY_CAP_SECONDS", "30"))))
                .containsExactly(
                        "BILLING_WEBHOOK_RETRY_CAP_SECONDS must not be below BILLING_WEBHOOK_RETRY_BASE_SECONDS");
    }

    @Test
    void retentionShorterThanStripesRedeliveryWindowIsRejected() {
        assertThat(problems(with("BILLING_EVENT_RETENTION_DAYS", "2")))
                .containsExactly("BILLING_EVENT_RETENTION_DAYS must be at least 3: Stripe redelivers for up to 3 days,"
                        + " and a pruned event would be stored again");
    }
}
