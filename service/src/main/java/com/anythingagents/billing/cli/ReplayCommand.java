package com.anythingagents.billing.cli;

import com.anythingagents.billing.events.EventFilter;
import com.anythingagents.billing.events.EventOperations;
import com.anythingagents.billing.events.EventStatus;
import com.anythingagents.billing.events.Replay;
import com.anythingagents.billing.events.StoredEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Replays stored events through the worker's processing path, one at a time, with their attempt
 * counters reset; {@code list} and {@code show} look before you leap.
 */
@Command(
        name = "replay",
        description = "Replay stored Stripe events (by id, or every failed one); see also `replay list` and"
                + " `replay show`.",
        subcommands = {ReplayListCommand.class, ReplayShowCommand.class})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    // `make stripe-replay` runs `replay $(ARGS)`, and the product's guides have always shown
    // ARGS="replay --event-id …": the word is accepted once more rather than answered "Unmatched argument"
    @Parameters(
            arity = "0..1",
            paramLabel = "replay",
            description = "the word `replay` may be repeated (make stripe-replay ARGS=\"replay --event-id …\")")
    String verb;

    @Option(names = "--event-id", description = "an event to replay (repeatable)")
    List<String> eventIds = new ArrayList<>();

    @Option(names = "--status", description = "replay every event with this status (only `failed`)")
    String status;

    @Option(
            names = "--limit",
            defaultValue = "100",
            description =
                    "with --status: at most this many of the most recent, replayed oldest first (default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--dry-run", description = "show what would be replayed, payloads included, and stop")
    boolean dryRun;

    @Option(names = "--yes", description = "do not ask for confirmation (needed without a terminal)")
    boolean yes;

    @Override
    public Integer call() {
        validate();
        return CliContext.run(context ->
                run(context.getBean(EventOperations.class), spec.commandLine().getOut(), Confirmation::askOnTerminal));
    }

    void validate() {
        if (verb != null && !verb.equals("replay")) {
            throw new ParameterException(
                    spec.commandLine(), "Unknown command \"" + verb + "\": use list, show, or replay's own options");
        }
        if (eventIds.isEmpty() == (status == null)) {
            throw new ParameterException(spec.commandLine(), "Give either --event-id (repeatable) or --status failed");
        }
        if (status != null && !status.equals("failed")) {
            throw new ParameterException(spec.commandLine(), "--status only accepts failed");
        }
        if (limit < 1 || limit > EventFilter.MAX_LIMIT) {
            throw new ParameterException(spec.commandLine(), "--limit must be between 1 and " + EventFilter.MAX_LIMIT);
        }
    }

    /** @param confirm asks the operator; empty when nobody can answer (no terminal) */
    int run(EventOperations events, PrintWriter out, Supplier<Optional<Boolean>> confirm) {
        List<StoredEvent> targets = targets(events, out);
        if (targets.isEmpty()) {
            out.println("Nothing to replay.");
            return eventIds.isEmpty() ? 0 : 1;
        }
        EventTable.print(out, targets);
        if (dryRun) {
            EventTable.printPayloads(out, targets, events);
            out.println("Dry run: would replay " + targets.size() + " event(s).");
            return 0;
        }
        if (!yes
                && !Confirmation.given(
                        out, "Replay " + targets.size() + " event(s) now?", "replay", "Nothing replayed.", confirm)) {
            return 1;
        }
        int failures = 0;
        for (StoredEvent target : targets) {
            Replay replay = events.replay(target.stripeEventId());
            out.println(replay.describe());
            if (!replay.processed()) {
                failures++;
            }
        }
        out.println("Replayed " + targets.size() + " event(s): " + (targets.size() - failures) + " processed, "
                + failures + " not.");
        return failures == 0 ? 0 : 1;
    }

    private List<StoredEvent> targets(EventOperations events, PrintWriter out) {
        if (status != null) {
            List<StoredEvent> failed = new ArrayList<>(events.list(new EventFilter(
                    Optional.of(EventStatus.FAILED),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    false,
                    limit)));
            Collections.reverse(failed); // oldest first, the order Stripe created them in
            return failed;
        }
        List<StoredEvent> found = new ArrayList<>();
        for (String id : eventIds) {
            events.find(id).ifPresentOrElse(found::add, () -> out.println("Unknown event " + id + " (not stored)"));
        }
        return found;
    }
}
