package com.anythingagents.billing.setup;

import com.anythingagents.billing.devinfra.DevInfra;
import com.anythingagents.billing.doctor.Finding;
import com.anythingagents.billing.doctor.Infrastructure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;

/**
 * Before Stripe: is the Stripe CLI there and logged in (optional; {@code stripe login} is offered),
 * and do the database and Redis answer ({@code make dev-up} is offered when none is configured).
 */
final class EnvironmentStep {

    private EnvironmentStep() {}

    /** @return the Stripe CLI when installed */
    static Optional<StripeCli> stripeCli(SetupRun run) {
        run.heading("Stripe CLI");
        if (run.options.stripeCli().isEmpty()) {
            run.report(Finding.info("stripe cli", "not used (--no-stripe-cli)"));
            return Optional.empty();
        }
        StripeCli cli = new StripeCli(run.options.stripeCli().get());
        Optional<String> version = cli.version();
        if (version.isEmpty()) {
            run.report(Finding.info(
                    "stripe cli",
                    "not installed (optional: it forwards Stripe's webhooks to this machine,"
                            + " https://docs.stripe.com/stripe-cli); everything else works without it"));
            return Optional.empty();
        }
        if (cli.loggedIn()) {
            run.report(Finding.ok("stripe cli", version.get() + ", logged in"));
            return Optional.of(cli);
        }
        run.report(Finding.warning(
                "stripe cli", version.get() + ", not logged in", "`stripe login` (pairs the CLI with your account)"));
        if (run.prompts.interactive() && run.prompts.confirm("Run `stripe login` now?", false)) {
            run.report(
                    cli.login()
                            ? Finding.ok("stripe cli", "logged in")
                            : Finding.warning("stripe cli", "`stripe login` did not finish", "run it again later"));
        }
        return Optional.of(cli);
    }

    static void databases(SetupRun run, Optional<DevInfra> devInfra) {
        run.heading("Database and Redis");
        boolean none = run.current("DATABASE_URL").isEmpty()
                && run.current("REDIS_URL").isEmpty();
        if (devInfra.isPresent()
                && (run.options.devUp()
                        || (none
                                && run.prompts.interactive()
                                && run.prompts.confirm(
                                        "Start PostgreSQL and Redis for development now (make dev-up)?", false)))) {
            devUp(run, devInfra.get());
        }
        Optional<String> database = run.effective("DATABASE_URL");
        Optional<String> redis = run.effective("REDIS_URL");
        if (database.isEmpty()) {
            run.report(Finding.info(
                    "database",
                    "DATABASE_URL is not set: local mode, `make run` starts an embedded PostgreSQL (or `make dev-up`"
                            + " starts one for development)"));
        } else {
            run.report(Infrastructure.database(database.get()));
        }
        if (redis.isEmpty()) {
            run.report(Finding.info(
                    "redis", "REDIS_URL is not set: local mode's `make run` starts an embedded Redis for the stream"));
        } else {
            run.report(Infrastructure.redis(redis.get()));
        }
    }

    private static void devUp(SetupRun run, DevInfra devInfra) {
        StringWriter output = new StringWriter();
        try {
            DevInfra.Running running = devInfra.up(new PrintWriter(output, true), true);
            output.toString().lines().forEach(run.prompts::say);
            run.changes.putAll(DevInfraValues.of(running, run::current));
            run.report(Finding.ok("dev-up", "running; `make dev-down` stops it"));
        } catch (RuntimeException ex) {
            output.toString().lines().forEach(run.prompts::say);
            run.report(Finding.error("dev-up", ex.getMessage(), "see dev-infra.log, or set DATABASE_URL yourself"));
        }
    }
}
