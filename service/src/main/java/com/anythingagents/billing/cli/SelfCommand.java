package com.anythingagents.billing.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

/** The command line that runs this CLI again, for background processes it starts ({@code dev-infra serve}). */
final class SelfCommand {

    private static final String MAIN = "com.anythingagents.billing.BillingApplication";

    private SelfCommand() {}

    static List<String> get() {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = System.getProperty("java.class.path");
        if (classpath.endsWith(".jar") && !classpath.contains(File.pathSeparator)) {
            // the executable jar: its launcher finds the classes inside it
            return List.of(java, "-jar", Path.of(classpath).toAbsolutePath().toString());
        }
        String main = CliContext.application != null ? CliContext.application.getName() : MAIN;
        return List.of(java, "-cp", classpath, main);
    }
}
