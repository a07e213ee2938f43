package com.anythingagents.billing.docs;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The commands the docs check does not run, each with why, and what it checks instead. Keep it
 * short: anything not here runs, so a doc that shows a command that no longer works fails.
 */
final class AllowList {

    /** What is checked instead of running the command. */
    enum Instead {
        /** {@code make -n <target>}: the target exists and expands. */
        MAKE_DRY_RUN,
        /** the script is in package.json (pnpm/npm) or the file exists. */
        SCRIPT_EXISTS,
        /** nothing: it needs what CI does not have. */
        NOTHING
    }

    record Entry(Pattern pattern, String why, Instead instead) {

        Entry(String regex, String why, Instead instead) {
            this(Pattern.compile(regex), why, instead);
        }
    }

    static final List<Entry> ENTRIES = List.of(
            // the check runs inside `make test`: running either again would recurse
            new Entry("^make (test|docs-check)(\\s|$)", "runs this check", Instead.MAKE_DRY_RUN),
            // `make test` runs these suites itself before this check; here they would rebuild the jar
            // under the commands that run from it
            new Entry(
                    "^make (test-stripe|test-node-sdk)(\\s|$)",
                    "make test runs the same tests before this check",
                    Instead.MAKE_DRY_RUN),
            new Entry("^make clean(\\s|$)", "deletes the jar every other command runs", Instead.MAKE_DRY_RUN),
            new Entry("^make format(\\s|$)", "rewrites sources (make test checks the format)", Instead.MAKE_DRY_RUN),
            // the same assistant runs non-interactively wherever the docs show its flags
            new Entry(
                    "^(make stripe-setup|npm run stripe:setup|pnpm stripe:setup|\\./scripts/stripe-setup)$",
                    "asks its questions in a terminal",
                    Instead.SCRIPT_EXISTS),
            new Entry("^\\./mvnw(\\s|$)", "the build itself (make test ran it)", Instead.NOTHING),
            new Entry("^stripe(\\s|$)", "the Stripe CLI needs a Stripe account and the network", Instead.NOTHING),
            new Entry("^docker(\\s|$)", "no Docker engine answers in CI (make dev-up runs embedded)", Instead.NOTHING),
            new Entry("^bench/", "benchmarks: measured on a quiet machine, not in CI", Instead.NOTHING),
            new Entry(
                    "(^|\\s)SPRING_PROFILES_ACTIVE=prod\\s",
                    "production: needs the production database, Redis and Stripe",
                    Instead.NOTHING),
            new Entry("https://(?!localhost|127\\.0\\.0\\.1)", "the network beyond this machine", Instead.NOTHING));

    private AllowList() {}

    static Optional<Entry> match(String command) {
        return ENTRIES.stream().filter(e -> e.pattern().matcher(command).find()).findFirst();
    }
}
