package com.anythingagents.billing.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL crashes ({@code kill -9} of the postmaster) and is stopped cleanly while Stripe is
 * sending: the webhook acknowledges nothing while the database is gone (503, so Stripe retries),
 * every event acknowledged before survives, and the same service process recovers on its own
 * once the database is back, processing everything.
 */
class DatabaseOutageTests {

    private static final int EVENTS_PER_SECOND = 100;

    private static final Duration BOUND = Duration.ofSeconds(90);

    /** Answers the service gave to deliveries sent while the database was down. */
    private static final int ANSWERS_WHILE_DOWN = 20;

    @TempDir
    Path directory;

    @Test
    void aCrashedOrStoppedDatabaseGets503sLosesNothingAndTheServiceRecoversWithoutARestart() throws Exception {
        Files.createDirectories(directory.resolve("data"));
        SubscriptionUpdates updates = SubscriptionUpdates.newRun();
        try (ExternalPostgres postgres = ExternalPostgres.start(directory.resolve("data"));
                ServiceProcess service = ServiceProcess.start(
                        directory, ServiceProcess.environment(postgres.databaseUrl(), ServiceProcess.freePort()));
                StripeLikeSender stripe = new StripeLikeSender(
                        service.webhookUrl(), ServiceProcess.WEBHOOK_SECRET, EVENTS_PER_SECOND, updates::event)) {
            Ledger ledger = new Ledger(postgres.port());
            long pid = service.pid();
            stripe.start();
            stripe.awaitMoreAcknowledged(200, BOUND);

            List<StripeLikeSender.Attempt> whileCrashed = outage(stripe, postgres::crash, postgres::restart);
            List<StripeLikeSender.Attempt> whileStopped = outage(stripe, postgres::stop, postgres::restart);

            stripe.stopNewEvents();
            await().atMost(BOUND).until(stripe::allAcknowledged);
            ledger.assertEveryEventStoredAndAppliedOnce(stripe.acknowledged(), BOUND);
            assertThat(answers(whileCrashed)).as("answers while crashed").containsOnlyKeys(503);
            assertThat(answers(whileStopped)).as("answers while stopped").containsOnlyKeys(503);
            assertThat(service.isAlive()).isTrue();
            assertThat(service.pid()).as("the same process, never restarted").isEqualTo(pid);
            assertThat(stripe.statuses().keySet())
                    .as("answers seen (-1: no answer)")
                    .isSubsetOf(200, 503, StripeLikeSender.CONNECTION_FAILED);
            System.out.printf(
                    "PostgreSQL crash and stop under %d events/s: %d acknowledged; answers while crashed %s,"
                            + " while stopped %s (slowest %d ms); attempts by answer %s; %d events had a failed"
                            + " processing attempt%n",
                    EVENTS_PER_SECOND,
                    stripe.acknowledged().size(),
                    answers(whileCrashed),
                    answers(whileStopped),
                    java.util.stream.Stream.concat(whileCrashed.stream(), whileStopped.stream())
                            .mapToLong(a -> (a.answeredNanos() - a.sentNanos()) / 1_000_000)
                            .max()
                            .orElse(0),
                    stripe.statuses(),
                    ledger.failedAtLeastOnce(stripe.acknowledged()).size());
        }
    }

    /**
     * Takes the database down, keeps it down until the service has answered a few deliveries sent
     * after that, brings it back and waits until the service acknowledges events again.
     *
     * @return the answered attempts sent and answered while the database was down
     */
    private static List<StripeLikeSender.Attempt> outage(
            StripeLikeSender stripe, Runnable takeDown, Runnable bringBack) {
        takeDown.run();
        long down = System.nanoTime();
        await().atMost(BOUND).until(() -> answeredSince(stripe, down).size() >= ANSWERS_WHILE_DOWN);
        long up = System.nanoTime();
        List<StripeLikeSender.Attempt> whileDown = answeredSince(stripe, down).stream()
                .filter(attempt -> attempt.answeredNanos() < up)
                .toList();
        bringBack.run();
        stripe.awaitMoreAcknowledged(200, BOUND);
        return whileDown;
    }

    private static List<StripeLikeSender.Attempt> answeredSince(StripeLikeSender stripe, long since) {
        return stripe.attempts().stream()
                .filter(attempt -> attempt.sentNanos() > since)
                .filter(attempt -> attempt.status() != StripeLikeSender.CONNECTION_FAILED)
                .toList();
    }

    private static Map<Integer, Long> answers(List<StripeLikeSender.Attempt> attempts) {
        return attempts.stream()
                .collect(Collectors.groupingBy(StripeLikeSender.Attempt::status, Collectors.counting()));
    }
}
