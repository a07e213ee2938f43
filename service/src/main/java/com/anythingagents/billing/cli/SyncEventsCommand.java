package com.anythingagents.billing.cli;

import com.anythingagents.billing.events.Backfill;
import com.anythingagents.billing.events.EventOperations;
import com.anythingagents.billing.events.Replay;
import com.anythingagents.billing.events.Since;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Backfills events we never received from Stripe's Events API (30 days), then processes them. */
@Command(name = "sync-events", description = "Store and process the Stripe events that never reached the webhook.")
final class SyncEventsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--since", required = true, description = "a duration (2h, 7d), a date or an ISO instant")
    String since;

    @Option(names = "--dry-run", description = "only count and list what is missing")
    boolean dryRun;

    private Instant from;

    @Override
    public Integer call() {
        try {
            from = Since.parse(since, Instant.now());
        } catch (IllegalArgumentException ex) {
            throw new ParameterException(spec.commandLine(), ex.getMessage());
        }
        return CliContext.run(context -> {
            Optional<Backfill> backfill = context.getBean(EventOperations.class).backfill(from, dryRun);
            if (backfill.isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .println("Billing is disabled (ENABLE_BILLING=false): nothing to sync from.");
                return 1;
            }
            return print(backfill.get(), spec.commandLine().getOut());
        });
    }

    int print(Backfill result, PrintWriter out) {
        out.println("Stripe events since " + EventTable.time(from)
                + ": " + result.seen() + " seen, " + result.alreadyStored() + " already stored, "
                + (dryRun
                        ? result.missing().size() + " missing (dry run: nothing inserted)"
                        : result.missing().size() + " inserted"));
        if (dryRun) {
            result.missing()
                    .forEach(e ->
                            out.println("  missing " + e.id() + " " + e.type() + " " + EventTable.time(e.created())));
            return 0;
        }
        result.replays().forEach(replay -> out.println("  " + replay.describe()));
        return result.replays().stream().allMatch(Replay::processed) ? 0 : 1;
    }
}
