package com.anythingagents.billing.cli;

import com.anythingagents.billing.doctor.Doctor;
import com.anythingagents.billing.doctor.Finding;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints one line per check (ok, info, warning, error) with the fix under each problem; never a secret. */
@Command(
        name = "doctor",
        description = "Check configuration, database, Redis, Stripe (key, prices, meters, webhook endpoints) and the"
                + " backlog; exit 1 on any error.")
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CliLogging.quiet();
        PrintWriter out = spec.commandLine().getOut();
        List<Finding> findings = Doctor.examine(CommandSettings.variables());
        findings.forEach(finding -> out.println(finding.text()));
        long errors = count(findings, Finding.Level.ERROR);
        long warnings = count(findings, Finding.Level.WARNING);
        out.println();
        out.println(
                errors == 0 && warnings == 0
                        ? "All checks passed."
                        : errors + " error(s), " + warnings + " warning(s)."
                                + (errors == 0 ? " Nothing is broken." : ""));
        return errors == 0 ? 0 : 1;
    }

    private static long count(List<Finding> findings, Finding.Level level) {
        return findings.stream().filter(f -> f.level() == level).count();
    }
}
