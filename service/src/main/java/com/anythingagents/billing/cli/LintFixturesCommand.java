package com.anythingagents.billing.cli;

import com.anythingagents.billing.fixtures.FixtureLinter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Parses and checks every Stripe event fixture in a directory; exit 1 names each bad file. */
@Command(name = "lint-fixtures", description = "Parse and schema-check Stripe event fixtures.")
final class LintFixturesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            defaultValue = "service/src/test/resources/fixtures/stripe",
            description = "directory of event JSON files (default ${DEFAULT-VALUE})")
    Path directory;

    @Override
    public Integer call() {
        List<String> problems = FixtureLinter.lint(directory);
        PrintWriter out = spec.commandLine().getOut();
        if (problems.isEmpty()) {
            out.println("ok: every fixture in " + directory + " parses and fits its event type");
            return 0;
        }
        problems.forEach(problem -> spec.commandLine().getErr().println("FAIL " + problem));
        return 1;
    }
}
