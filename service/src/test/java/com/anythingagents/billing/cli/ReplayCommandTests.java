package com.anythingagents.billing.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anythingagents.billing.ManualPipelineConfiguration.SettableClock;
import com.anythingagents.billing.ManualPipelineTest;
import com.anythingagents.billing.TestStripe;
import com.anythingagents.billing.events.EventOperations;
import com.anythingagents.billing.events.EventStatus;
import com.anythingagents.billing.events.ProbeHandler;
import com.anythingagents.billing.webhook.SignedDelivery;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import picocli.CommandLine;

/** `replay` parsed by picocli and run against the service's own store and replayer. */
@ManualPipelineTest
class ReplayCommandTests {

    @LocalServerPort
    int port;

    @Autowired
    EventOperations store;

    @Autowired
    SettableClock clock;

    @Autowired
    ProbeHandler probe;

    @Autowired
    JdbcClient jdbc;

    @Test
    void replaysFailedEventByIdWithYesAndResetsAttempts() {
        String id = failedEvent();
        StringWriter out = new StringWriter();

        int exit = parse("replay", "--event-id", id, "--yes").run(store, new PrintWriter(out, true), Optional::empty);

        assertThat(exit).isZero();
        assertThat(out.toString()).contains(id + " processed").contains("1 processed, 0 not");
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(EventStatus.PROCESSED);
        assertThat(store.find(id).orElseThrow().attempts())
                .as("the replay is attempt 1")
                .isEqualTo(1);
    }

    @Test
    void dryRunShowsTargetsAndChangesNothing() {
        String id = failedEvent();
        StringWriter out = new StringWriter();

        int exit = parse("replay", "--status", "failed", "--dry-run")
                .run(store, new PrintWriter(out, true), Optional::empty);

        assertThat(exit).isZero();
        assertThat(out.toString()).contains(id).contains("Dry run: would replay");
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(EventStatus.FAILED);
    }

    @Test
    void acceptsTheWordReplayAgainAsTheSeedsMakeCommandPassesItAndShowsThePayloadOnDryRun() {
        // make stripe-replay ARGS="replay --event-id …" runs `replay replay --event-id …`
        String id = failedEvent();
        StringWriter out = new StringWriter();

        int exit = parse("replay", "replay", "--event-id", id, "--dry-run")
                .run(store, new PrintWriter(out, true), Optional::empty);

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains("--- " + id + " " + ProbeHandler.TYPE + " payload:")
                .contains("\"id\" : \"" + id + "\"")
                .contains("Dry run: would replay 1 event(s).");
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(EventStatus.FAILED);
    }

    @Test
    void rejectsAnyOtherWordThanReplay() {
        ReplayCommand command = parse("replay", "again", "--event-id", "evt_1");
        assertThatThrownBy(command::validate).hasMessageContaining("Unknown command \"again\"");
    }

    @Test
    void refusesWithoutYesWhenNobodyCanConfirm() {
        String id = failedEvent();
        StringWriter out = new StringWriter();

        int exit = parse("replay", "--event-id", id).run(store, new PrintWriter(out, true), Optional::empty);

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("pass --yes");
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(EventStatus.FAILED);
    }

    @Test
    void rejectsAmbiguousSelection() {
        ReplayCommand command = parse("replay", "--event-id", "evt_1", "--status", "failed");
        assertThatThrownBy(command::validate).hasMessageContaining("either --event-id");
        ReplayCommand wrongStatus = parse("replay", "--status", "processed");
        assertThatThrownBy(wrongStatus::validate).hasMessageContaining("only accepts failed");
    }

    private static ReplayCommand parse(String... args) {
        CommandLine cli = new CommandLine(new BillingCommand());
        CommandLine.ParseResult result = cli.parseArgs(args);
        return (ReplayCommand) result.subcommand().commandSpec().userObject();
    }

    private String failedEvent() {
        String id = SignedDelivery.newEventId();
        probe.failWith(id, "broken for the test");
        SignedDelivery.postSigned(
                port,
                TestStripe.WEBHOOK_SECRET,
                clock.instant(),
                SignedDelivery.event(id, ProbeHandler.TYPE, "acme", false, clock.instant()));
        store.replay(id); // processes it once, synchronously: failed
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(EventStatus.FAILED);
        probe.succeed(id);
        return id;
    }
}
