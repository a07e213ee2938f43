package com.anythingagents.billing.cli;

import com.anythingagents.billing.events.EventOperations;
import com.anythingagents.billing.events.StoredEvent;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** One stored event: its row, then its payload pretty-printed. */
@Command(name = "show", description = "Show one stored Stripe event with its payload.")
final class ReplayShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--event-id", required = true, description = "the Stripe event id (evt_…)")
    String eventId;

    @Override
    public Integer call() {
        return CliContext.run(context -> {
            PrintWriter out = spec.commandLine().getOut();
            Optional<StoredEvent> found = context.getBean(EventOperations.class).find(eventId);
            if (found.isEmpty()) {
                spec.commandLine().getErr().println("Unknown event " + eventId + " (not stored)");
                return 1;
            }
            StoredEvent e = found.get();
            out.println("event_id:        " + e.stripeEventId());
            out.println("type:            " + e.type());
            out.println("status:          " + e.status().column() + (e.dead() ? " (dead: replay to retry)" : ""));
            out.println("attempts:        " + e.attempts());
            out.println("last_error:      " + e.lastError().orElse("-"));
            out.println("next_attempt_at: "
                    + e.nextAttemptAt().map(EventTable::time).orElse("-"));
            out.println("tenant_id:       " + e.tenantId().orElse("-"));
            out.println("tenant_conflict: " + e.tenantConflict().orElse("-"));
            out.println("customer_id:     " + e.customerId().orElse("-"));
            out.println("object_id:       " + e.objectId().orElse("-"));
            out.println("livemode:        " + e.livemode());
            out.println("api_version:     " + e.apiVersion().orElse("-"));
            out.println("created:         " + EventTable.time(e.stripeCreatedAt()));
            out.println("received_at:     " + EventTable.time(e.receivedAt()));
            out.println(
                    "processed_at:    " + e.processedAt().map(EventTable::time).orElse("-"));
            out.println("payload:");
            out.println(EventTable.pretty(e.payload().orElseThrow()));
            return 0;
        });
    }
}
