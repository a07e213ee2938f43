package com.anythingagents.billing.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anythingagents.billing.ManualPipelineConfiguration.SettableClock;
import com.anythingagents.billing.ManualPipelineTest;
import com.anythingagents.billing.usage.StoredUsage;
import com.anythingagents.billing.usage.UsageOperations;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import picocli.CommandLine;

/**
 * `replay-usage` parsed by picocli and run against the service's own outbox (delivery itself, once
 * and only once, is UsageReporterTests' part).
 */
@ManualPipelineTest
class ReplayUsageCommandTests {

    @Autowired
    UsageOperations usage;

    @Autowired
    SettableClock clock;

    @Autowired
    JdbcClient jdbc;

    String tenant;

    @BeforeEach
    void tenant() {
        tenant = "t_" + UUID.randomUUID();
    }

    @Test
    void requeuesATenantsFailedReportsWithTheirKeysAndAttemptsReset() {
        long first = failed("k1", clock.instant());
        long second = failed("k2", clock.instant());
        StringWriter out = new StringWriter();

        int exit = parse("replay-usage", "--tenant", tenant, "--yes").run(usage, writer(out), Optional::empty);

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("Re-queued 2 of 2 usage report(s)");
        for (long id : new long[] {first, second}) {
            StoredUsage stored = usage.find(id).orElseThrow();
            assertThat(stored.status()).isEqualTo("pending");
            assertThat(stored.attempts()).isZero();
            assertThat(stored.lastError()).isNull();
            assertThat(stored.tenantId()).isEqualTo(tenant);
        }
        assertThat(usage.find(first).orElseThrow().idempotencyKey()).isEqualTo("k1");
        assertThat(dueAt(first)).isEqualTo(clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    @Test
    void dryRunListsTheFailedReportsAndChangesNothing() {
        long id = failed("k-dry", clock.instant());
        StringWriter out = new StringWriter();

        int exit = parse("replay-usage", "--all-failed", "--dry-run").run(usage, writer(out), Optional::empty);

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains(Long.toString(id))
                .contains(tenant)
                .contains("Invalid: Stripe refused it")
                .contains("Dry run: would re-queue");
        assertThat(usage.find(id).orElseThrow().status()).isEqualTo("failed");
    }

    @Test
    void refusesWithoutYesWhenNobodyCanConfirm() {
        long id = failed("k-ask", clock.instant());
        StringWriter out = new StringWriter();

        int exit = parse("replay-usage", "--id", Long.toString(id)).run(usage, writer(out), Optional::empty);

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("pass --yes");
        assertThat(usage.find(id).orElseThrow().status()).isEqualTo("failed");
    }

    @Test
    void leavesReportsThatAreNotFailedOrPastStripesWindowAloneAndSaysWhy() {
        long tooOld = failed("k-old", clock.instant().minus(Duration.ofDays(36)));
        long reported = failed("k-reported", clock.instant());
        jdbc.sql("update usage_records set status = 'reported' where id = ?")
                .param(reported)
                .update();
        StringWriter out = new StringWriter();

        int exit = parse("replay-usage", "--id", Long.toString(tooOld), "--id", Long.toString(reported), "--yes")
                .run(usage, writer(out), Optional::empty);

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString())
                .contains("Usage report " + reported + " is reported, not failed")
                .contains("Usage report " + tooOld + " stays failed")
                .contains("35-day")
                .contains("Nothing to re-queue.");
        assertThat(usage.find(tooOld).orElseThrow().status()).isEqualTo("failed");
    }

    @Test
    void anIdGivenTwiceIsReQueuedOnceAndATenantsReportsPastTheWindowDoNotHideTheOthers() {
        long tooOld = failed("k-old2", clock.instant().minus(Duration.ofDays(36)));
        long recent = failed("k-recent", clock.instant());
        StringWriter twice = new StringWriter();

        int exit = parse("replay-usage", "--id", Long.toString(recent), "--id", Long.toString(recent), "--yes")
                .run(usage, writer(twice), Optional::empty);

        assertThat(exit).isZero();
        assertThat(twice.toString()).contains("Re-queued 1 of 1");
        jdbc.sql("update usage_records set status = 'failed' where id = ?")
                .param(recent)
                .update();
        StringWriter byTenant = new StringWriter();

        exit = parse("replay-usage", "--tenant", tenant, "--limit", "1", "--dry-run")
                .run(usage, writer(byTenant), Optional::empty);

        assertThat(exit).isZero();
        assertThat(byTenant.toString()).contains(Long.toString(recent)).doesNotContain("stays failed");
        assertThat(usage.find(tooOld).orElseThrow().status()).isEqualTo("failed");
    }

    @Test
    void wantsExactlyOneSelection() {
        assertThatThrownBy(parse("replay-usage")::validate).hasMessageContaining("exactly one of");
        assertThatThrownBy(parse("replay-usage", "--id", "1", "--all-failed")::validate)
                .hasMessageContaining("exactly one of");
        assertThatThrownBy(parse("replay-usage", "--all-failed", "--limit", "0")::validate)
                .hasMessageContaining("--limit");
    }

    private static ReplayUsageCommand parse(String... args) {
        CommandLine cli = new CommandLine(new BillingCommand());
        CommandLine.ParseResult result = cli.parseArgs(args);
        return (ReplayUsageCommand) result.subcommand().commandSpec().userObject();
    }

    private static PrintWriter writer(StringWriter out) {
        return new PrintWriter(out, true);
    }

    /** A report Stripe refused, as the outbox leaves it. */
    private long failed(String key, Instant occurredAt) {
        return jdbc.sql("""
                        insert into usage_records (tenant_id, feature_key, quantity, occurred_at, idempotency_key,
                            stripe_customer_id, meter_event_name, status, attempts, last_error, next_attempt_at)
                        values (?, 'agent_runs', 3, ?, ?, 'cus_test', 'agent_run', 'failed', 1,
                            'Invalid: Stripe refused it', 'infinity')
                        returning id""")
                .params(tenant, occurredAt.atOffset(ZoneOffset.UTC), key)
                .query(Long.class)
                .single();
    }

    private Instant dueAt(long id) {
        return jdbc.sql("select next_attempt_at from usage_records where id = ?")
                .param(id)
                .query(OffsetDateTime.class)
                .single()
                .toInstant();
    }
}
