package com.anythingagents.billing.cli;

import com.anythingagents.billing.usage.StoredUsage;
import com.anythingagents.billing.usage.UsageOperations;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Puts failed usage reports back in the usage outbox, the way {@code replay} does for events: the
 * running service's worker delivers them at its next poll. They keep their idempotency key, so the
 * meter event identifier is the one Stripe may have already, and Stripe never bills them twice.
 */
@Command(
        name = "replay-usage",
        mixinStandardHelpOptions = true,
        description = "Re-queue failed usage reports (by id, of a tenant, or all) for delivery to Stripe;"
                + " each keeps its meter event identifier, so Stripe never counts it twice.")
final class ReplayUsageCommand implements Callable<Integer> {

    static final int MAX_LIMIT = 10_000;

    private static final int MAX_ERROR = 80;

    @Spec
    CommandSpec spec;

    @Option(names = "--id", description = "a usage report (usage_id) to re-queue (repeatable)")
    List<Long> ids = new ArrayList<>();

    @Option(names = "--tenant", description = "re-queue the tenant's failed usage reports")
    String tenant;

    @Option(names = "--all-failed", description = "re-queue every failed usage report")
    boolean allFailed;

    @Option(
            names = "--limit",
            defaultValue = "1000",
            description = "with --tenant or --all-failed: at most this many, oldest first (default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--dry-run", description = "show what would be re-queued and stop")
    boolean dryRun;

    @Option(names = "--yes", description = "do not ask for confirmation (needed without a terminal)")
    boolean yes;

    @Override
    public Integer call() {
        validate();
        return CliContext.run(context -> {
            Optional<UsageOperations> usage = Optional.ofNullable(
                    context.getBeanProvider(UsageOperations.class).getIfAvailable());
            if (usage.isEmpty()) {
                spec.commandLine().getErr().println("Billing is disabled (ENABLE_BILLING): there is no usage outbox.");
                return 1;
            }
            return run(usage.get(), spec.commandLine().getOut(), Confirmation::askOnTerminal);
        });
    }

    void validate() {
        int selections = (ids.isEmpty() ? 0 : 1) + (tenant == null ? 0 : 1) + (allFailed ? 1 : 0);
        if (selections != 1) {
            throw new ParameterException(
                    spec.commandLine(), "Give exactly one of --id (repeatable), --tenant or --all-failed");
        }
        if (tenant != null && tenant.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--tenant must not be empty");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ParameterException(spec.commandLine(), "--limit must be between 1 and " + MAX_LIMIT);
        }
    }

    /** @param confirm asks the operator; empty when nobody can answer (no terminal) */
    int run(UsageOperations usage, PrintWriter out, Supplier<Optional<Boolean>> confirm) {
        List<StoredUsage> failed = targets(usage, out);
        // an id that is unknown or not failed is a miss: the exit code says the selection was not all done
        boolean missed = failed.size() < ids.stream().distinct().count();
        List<StoredUsage> targets = new ArrayList<>();
        List<StoredUsage> tooOld = new ArrayList<>();
        failed.forEach(u -> (usage.windowOpen(u) ? targets : tooOld).add(u));
        tooOld.forEach(u -> out.println("Usage report " + u.id() + " stays failed: its timestamp " + u.occurredAt()
                + " is past Stripe's 35-day meter event window, or within an hour of its end (Stripe would refuse"
                + " it or drop it; bill it another way)"));
        if (targets.isEmpty()) {
            out.println("Nothing to re-queue.");
            return ids.isEmpty() && tooOld.isEmpty() ? 0 : 1;
        }
        print(out, targets);
        if (dryRun) {
            out.println("Dry run: would re-queue " + targets.size() + " usage report(s).");
            return 0;
        }
        if (!yes
                && !Confirmation.given(
                        out,
                        "Re-queue " + targets.size() + " usage report(s) now?",
                        "re-queue",
                        "Nothing re-queued.",
                        confirm)) {
            return 1;
        }
        List<Long> requeued =
                usage.requeue(targets.stream().map(StoredUsage::id).toList());
        out.println("Re-queued " + requeued.size() + " of " + targets.size() + " usage report(s): the service's"
                + " usage outbox delivers them at its next poll (same meter event identifiers: Stripe counts"
                + " each once).");
        if (requeued.size() < targets.size()) {
            out.println("The others changed meanwhile (no longer failed, or their window closed).");
        }
        return tooOld.isEmpty() && !missed && requeued.size() == targets.size() ? 0 : 1;
    }

    private List<StoredUsage> targets(UsageOperations usage, PrintWriter out) {
        if (ids.isEmpty()) {
            return usage.failed(Optional.ofNullable(tenant), limit);
        }
        List<StoredUsage> found = new ArrayList<>();
        for (long id : ids.stream().distinct().toList()) {
            Optional<StoredUsage> stored = usage.find(id);
            if (stored.isEmpty()) {
                out.println("Unknown usage report " + id);
            } else if (!stored.get().failed()) {
                out.println("Usage report " + id + " is " + stored.get().status() + ", not failed: left alone");
            } else {
                found.add(stored.get());
            }
        }
        return found;
    }

    private static void print(PrintWriter out, List<StoredUsage> usages) {
        out.println(String.format(
                "%-10s %-24s %-16s %10s  %-20s  %s", "ID", "TENANT", "FEATURE", "QUANTITY", "TIMESTAMP", "LAST_ERROR"));
        for (StoredUsage u : usages) {
            String error = u.lastError() == null ? "" : u.lastError();
            out.println(String.format(
                            "%-10d %-24s %-16s %10d  %-20s  %s",
                            u.id(),
                            u.tenantId(),
                            u.featureKey(),
                            u.quantity(),
                            u.occurredAt().truncatedTo(ChronoUnit.SECONDS),
                            error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR - 1) + "…" : error)
                    .stripTrailing());
        }
    }
}
