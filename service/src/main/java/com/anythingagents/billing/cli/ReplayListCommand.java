package com.anythingagents.billing.cli;

import com.anythingagents.billing.events.EventFilter;
import com.anythingagents.billing.events.EventOperations;
import com.anythingagents.billing.events.EventStatus;
import com.anythingagents.billing.events.Since;
import com.anythingagents.billing.events.StoredEvent;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/** Lists stored events, newest first, as a table or JSON. */
@Command(name = "list", description = "List stored Stripe events, newest first.")
final class ReplayListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--status",
            defaultValue = "failed",
            description = "failed, received, processed or all (default ${DEFAULT-VALUE})")
    String status;

    @Option(names = "--type", description = "only this event type, e.g. invoice.paid")
    String type;

    @Option(names = "--tenant", description = "only this tenant")
    String tenant;

    @Option(names = "--since", description = "received since: a duration (2h, 7d), a date or an ISO instant")
    String since;

    @Option(
            names = "--limit",
            defaultValue = "50",
            description = "at most this many, up to 200 (default ${DEFAULT-VALUE})")
    int limit;

    @Option(
            names = "--conflicts",
            description = "only events whose tenant evidence disagreed (flagged: both values in TENANT_CONFLICT)")
    boolean conflicts;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Option(
            names = "--dry-run",
            description = "also print each listed event's payload: what a replay of it would process")
    boolean dryRun;

    @Override
    public Integer call() {
        EventFilter filter = filter(Instant.now());
        return CliContext.run(context -> {
            List<StoredEvent> events = context.getBean(EventOperations.class).list(filter);
            if (json) {
                spec.commandLine()
                        .getOut()
                        .println(context.getBean(JsonMapper.class)
                                .writerWithDefaultPrettyPrinter()
                                .writeValueAsString(events));
            } else {
                EventTable.print(spec.commandLine().getOut(), events);
            }
            if (dryRun) {
                PrintWriter out = spec.commandLine().getOut();
                EventTable.printPayloads(out, events, context.getBean(EventOperations.class));
                out.println("Dry run: nothing replayed. `replay --event-id <id> --yes` (or, for failed events,"
                        + " `replay --status failed --yes`) would process these " + events.size()
                        + " payload(s) again.");
            }
            return 0;
        });
    }

    EventFilter filter(Instant now) {
        try {
            Optional<EventStatus> wanted = status.equalsIgnoreCase("all")
                    ? Optional.empty()
                    : Optional.of(EventStatus.valueOf(status.strip().toUpperCase(Locale.ROOT)));
            return new EventFilter(
                    wanted,
                    Optional.ofNullable(type),
                    Optional.ofNullable(tenant),
                    Optional.ofNullable(since).map(s -> Since.parse(s, now)),
                    Optional.empty(),
                    conflicts,
                    limit);
        } catch (IllegalArgumentException ex) {
            throw new ParameterException(
                    spec.commandLine(),
                    ex.getMessage().startsWith("No enum")
                            ? "--status must be failed, received, processed or all"
                            : ex.getMessage());
        }
    }
}
