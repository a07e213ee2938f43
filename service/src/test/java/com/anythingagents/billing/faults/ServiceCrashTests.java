package com.anythingagents.billing.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the service while Stripe is sending, then a restart on the same data, the way
 * a developer's {@code make run} dies (or the OOM killer ends it) and is started again: what was
 * acknowledged is stored and applied exactly once, the events the killed worker had claimed are
 * processed by the new process, the embedded PostgreSQL and Redis the dead JVM left running are
 * stopped rather than attached to, the data is durable, and a clean stop leaves nothing running.
 */
class ServiceCrashTests {

    private static final int EVENTS_PER_SECOND = 100;

    private static final Duration BOUND = Duration.ofSeconds(90);

    private static final List<String> DURABILITY = List.of("fsync", "synchronous_commit", "full_page_writes");

    @TempDir
    Path directory;

    @Test
    void aKilledServiceRestartsOnItsDataAndAppliesEveryAcknowledgedEventExactlyOnce() throws Exception {
        Path local = directory.resolve("local");
        int postgresPort = ServiceProcess.freePort();
        Map<String, String> environment = Map.of(
                "BILLING_LOCAL_DIR", local.toString(),
                "PORT", Integer.toString(ServiceProcess.freePort()),
                "LOCAL_POSTGRES_PORT", Integer.toString(postgresPort),
                "LOCAL_REDIS_PORT", Integer.toString(ServiceProcess.freePort()),
                "LOCAL_STRIPE_PORT", Integer.toString(ServiceProcess.freePort()),
                // events the killed worker held are due again within seconds, not after the default lease
                "BILLING_WORKER_LEASE_SECONDS", "5");
        Ledger ledger = new Ledger(postgresPort);
        SubscriptionUpdates updates = SubscriptionUpdates.newRun();
        ServiceProcess first = ServiceProcess.start(directory, environment);
        String secret = session(local).getProperty("STRIPE_WEBHOOK_SECRET");
        try (StripeLikeSender stripe =
                new StripeLikeSender(first.webhookUrl(), secret, EVENTS_PER_SECOND, updates::event)) {
            stripe.start();
            stripe.awaitMoreAcknowledged(300, BOUND);

            Set<String> heldByTheKilledWorker;
            try (AutoCloseable blocked = ledger.lockSubscriptions()) {
                // the worker is stuck in the middle of its claim when it dies
                await().atMost(BOUND)
                        .until(() -> !ledger.claimedUnprocessed(stripe.sent()).isEmpty());
                first.kill();
                heldByTheKilledWorker = ledger.claimedUnprocessed(stripe.sent());
            }
            Set<String> acknowledgedBeforeTheKill = stripe.acknowledged();
            List<ProcessHandle> leftBehind = List.of(
                    running(local.resolve("postgres/postmaster.pid")).orElseThrow(),
                    running(local.resolve("redis.pid")).orElseThrow());

            try (ServiceProcess second = ServiceProcess.start(directory, environment)) {
                assertThat(leftBehind).noneMatch(ProcessHandle::isAlive);
                assertThat(session(local).getProperty("STRIPE_WEBHOOK_SECRET"))
                        .as("the emulator kept its webhook endpoint")
                        .isEqualTo(secret);
                assertThat(DURABILITY)
                        .allSatisfy(setting ->
                                assertThat(ledger.setting(setting)).as(setting).isEqualTo("on"));

                stripe.awaitMoreAcknowledged(300, BOUND);
                stripe.stopNewEvents();
                await().atMost(BOUND).until(stripe::allAcknowledged);
                assertThat(stripe.acknowledged()).containsAll(acknowledgedBeforeTheKill);
                ledger.assertEveryEventStoredAndAppliedOnce(stripe.acknowledged(), BOUND);
                // the killed process cannot have finished these: the new one did
                assertThat(heldByTheKilledWorker).isNotEmpty();
                assertThat(ledger.unprocessed(heldByTheKilledWorker)).isEmpty();
                assertThat(stripe.statuses().keySet())
                        .as("answers seen (-1: no connection, while the service was down)")
                        .isSubsetOf(200, StripeLikeSender.CONNECTION_FAILED);
                System.out.printf(
                        "kill -9 under %d events/s: %d acknowledged (%d before the kill), %d held by the killed"
                                + " worker, attempts by answer %s%n",
                        EVENTS_PER_SECOND,
                        stripe.acknowledged().size(),
                        acknowledgedBeforeTheKill.size(),
                        heldByTheKilledWorker.size(),
                        stripe.statuses());

                List<ProcessHandle> started = List.of(
                        running(local.resolve("postgres/postmaster.pid")).orElseThrow(),
                        running(local.resolve("redis.pid")).orElseThrow());
                second.close();
                // PostgreSQL may still be writing its shutdown checkpoint after pg_ctl's wait
                await().atMost(BOUND).until(() -> started.stream().noneMatch(ProcessHandle::isAlive));
            }
        } finally {
            first.close();
            // a failed run must not leave databases behind on the box
            for (Path pidFile : List.of(local.resolve("postgres/postmaster.pid"), local.resolve("redis.pid"))) {
                running(pidFile).ifPresent(ProcessHandle::destroy);
            }
        }
    }

    private static Properties session(Path local) throws IOException {
        Properties session = new Properties();
        try (Reader in = Files.newBufferedReader(local.resolve("session.properties"))) {
            session.load(in);
        }
        return session;
    }

    /** The live process a pid file names, if any. */
    private static Optional<ProcessHandle> running(Path pidFile) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }
}
