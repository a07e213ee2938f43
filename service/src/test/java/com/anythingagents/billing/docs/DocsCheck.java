package com.anythingagents.billing.docs;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The docs check of {@code make test}: runs every {@code make …} and CLI command that README.md and
 * docs/ show, file by file, each file in a fresh {@link Sandbox} (against a local-mode service and
 * the Stripe emulator on free ports), in the order the file shows them, and fails naming each stale
 * line ({@code file:line}). Commands that run until stopped ({@code make run}, {@code make emulator})
 * are started and kept running for the rest of the file, as a reader would in another terminal.
 * What cannot run here is on the printed {@link AllowList}.
 */
public final class DocsCheck {

    /** What the output says when a command line is no longer what the code accepts, whatever the exit code. */
    private static final Pattern STALE = Pattern.compile(
            "Unmatched argument|Unknown option|Missing required (option|parameter)|No rule to make target"
                    + "|command not found|Unknown command");

    private static final Pattern SERVICE =
            Pattern.compile("^(make run|java -jar service/target/billing-service\\.jar( serve)?)$");

    private static final Pattern EMULATOR = Pattern.compile("^make emulator(\\s|$)");

    /** Placeholders no substitution resolves: the command's shape is checked instead. */
    private static final Pattern PLACEHOLDER = Pattern.compile("…|<[a-z][a-z _-]*>");

    /** Commands that need a running local-mode service to mean what the docs say. */
    private static final Pattern NEEDS_SERVICE = Pattern.compile(
            "(localhost|127\\.0\\.0\\.1):8000|stripe-replay|stripe-sync|billing-service\\.jar (replay|sync-events)|evt_");

    private static final Pattern EVENT_ID = Pattern.compile("evt_(…|123\\b|[A-Za-z0-9]{8,})");

    /** {@code curl -N …/stream}: a stream runs until the client stops; it is read for a while, then stopped. */
    private static final Pattern STREAMING = Pattern.compile("^curl\\s(.*\\s)?(-N|--no-buffer)\\s");

    private static final int STREAM_SECONDS = 10;

    /** What {@code timeout} exits with when the time was up: the stream was still open. */
    private static final int TIMED_OUT = 124;

    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private final Path repository;

    private final PrintStream out;

    private final List<String> failures = new ArrayList<>();

    private int ok;

    private int shaped;

    private int allowed;

    DocsCheck(Path repository, PrintStream out) {
        this.repository = repository;
        this.out = out;
    }

    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        System.exit(new DocsCheck(root, System.out).run(documents(root)) ? 0 : 1);
    }

    /** README.md, then every Markdown file under docs/, in name order. */
    static List<Path> documents(Path root) {
        List<Path> documents = new ArrayList<>();
        if (Files.exists(root.resolve("README.md"))) {
            documents.add(root.resolve("README.md"));
        }
        if (Files.isDirectory(root.resolve("docs"))) {
            try (Stream<Path> files = Files.walk(root.resolve("docs"))) {
                files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(documents::add);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return documents;
    }

    /** @return true when every command ran as its document shows it */
    boolean run(List<Path> documents) {
        out.println("Docs check: every make and CLI command shown in README.md and docs/, run in a sandbox per file"
                + " (its own .env.local, .local/ and free ports; the repository's build).");
        for (Path document : documents) {
            check(document);
        }
        printAllowList();
        out.println();
        out.println(ok + " ran as shown, " + shaped + " with placeholders checked for shape, " + allowed
                + " on the allow-list, " + failures.size() + " stale.");
        failures.forEach(f -> out.println("STALE " + f));
        return failures.isEmpty();
    }

    private void check(Path document) {
        String name = repository.relativize(document).toString();
        List<DocCommand> commands = DocsCommands.extract(name, lines(document));
        if (commands.isEmpty()) {
            return;
        }
        out.println();
        out.println(name + " (" + commands.size() + " commands)");
        try (Sandbox sandbox = new Sandbox(repository)) {
            FileRun file = new FileRun(sandbox);
            boolean startsItsOwn = commands.stream()
                    .anyMatch(c -> SERVICE.matcher(normalized(c.text())).matches());
            if (!startsItsOwn
                    && commands.stream()
                            .anyMatch(c -> NEEDS_SERVICE.matcher(c.text()).find())) {
                out.println("  (the check starts `make run` first: these commands run beside a local-mode service)");
                file.startService("make run").ifPresent(why -> fail(name + ":1", "make run", why));
            }
            for (DocCommand command : commands) {
                check(command, file);
            }
        }
    }

    /** What one file's run has started and learned. */
    private final class FileRun {

        final Sandbox sandbox;

        Optional<String> service = Optional.empty();

        Optional<String> emulator = Optional.empty();

        Optional<String> eventId = Optional.empty();

        FileRun(Sandbox sandbox) {
            this.sandbox = sandbox;
        }

        Optional<String> startService(String command) {
            service = Optional.of(command);
            return sandbox.start("service", command, Sandbox.healthy("PORT"), START_TIMEOUT);
        }

        /** The same command, already running: a reader does not start it twice. */
        boolean running(String command) {
            return service.filter(command::equals).isPresent()
                    || emulator.filter(command::equals).isPresent();
        }

        Optional<String> startEmulator(String command) {
            emulator = Optional.of(command); // a second one replaces the first: one port
            return sandbox.start("emulator", command, Sandbox.listening("EMULATOR_PORT"), START_TIMEOUT);
        }
    }

    private void check(DocCommand command, FileRun file) {
        String text = normalized(command.text());
        Optional<AllowList.Entry> allow = AllowList.match(text);
        if (allow.isPresent()) {
            allowed(command, text, allow.get(), file.sandbox);
            return;
        }
        if (file.running(text)) {
            report("ok", command, "runs (started for the line that shows it first)");
            ok++;
            return;
        }
        if (SERVICE.matcher(text).matches()) {
            if (file.service.isPresent()) {
                report("ok", command, "the local-mode service runs (started for " + file.service.get() + ")");
                ok++;
                return;
            }
            file.startService(text).ifPresentOrElse(why -> fail(command.where(), command.text(), why), () -> {
                report("ok", command, "started; healthy on :" + file.sandbox.port("PORT"));
                ok++;
            });
            return;
        }
        if (EMULATOR.matcher(text).find()) {
            file.startEmulator(text).ifPresentOrElse(why -> fail(command.where(), command.text(), why), () -> {
                report("ok", command, "started; listening on :" + file.sandbox.port("EMULATOR_PORT"));
                ok++;
            });
            return;
        }
        String runnable = substituted(text, file);
        if (PLACEHOLDER.matcher(runnable).find()) {
            shape(command, runnable, file.sandbox);
            return;
        }
        String context = substituted(command.context(), file);
        boolean streaming = STREAMING.matcher(runnable).find();
        String line = streaming ? "timeout " + STREAM_SECONDS + " " + runnable : pnpm(runnable);
        Sandbox.Result result = file.sandbox.run((context.isEmpty() ? "" : context + "\n") + line);
        if (streaming && result.exit() == TIMED_OUT && !result.output().isBlank()) {
            report("ok", command, "streamed for " + STREAM_SECONDS + " s, then stopped");
            ok++;
            return;
        }
        Matcher stale = STALE.matcher(result.output());
        if (stale.find()) {
            fail(command.where(), command.text(), "\"" + stale.group() + "\":\n" + Sandbox.tail(result.output()));
        } else if (result.exit() != command.exitExpected()) {
            fail(
                    command.where(),
                    command.text(),
                    "exit " + result.exit() + ", the doc shows " + command.exitExpected() + ":\n"
                            + Sandbox.tail(result.output()));
        } else {
            report("ok", command, "exit " + result.exit());
            ok++;
        }
    }

    /** The docs' spellings of one thing, made one: the jar as it is built here. */
    static String normalized(String text) {
        return text.replaceAll("(?<![/\\w])billing-service\\.jar", "service/target/billing-service.jar");
    }

    /**
     * Values a reader fills in, filled in from the sandbox: the service's and the emulators' ports,
     * an event id that exists, a test key and signing secret the emulator accepts.
     */
    String substituted(String text, FileRun file) {
        Sandbox sandbox = file.sandbox;
        String stripePort =
                file.emulator.isPresent() ? sandbox.port("EMULATOR_PORT") : sandbox.port("LOCAL_STRIPE_PORT");
        String result = text.replaceAll("(localhost|127\\.0\\.0\\.1):8000\\b", "$1:" + sandbox.port("PORT"))
                .replaceAll(":12111\\b", ":" + stripePort)
                .replace("sk_test_…", "sk_test_docscheck000000000000000")
                .replace("whsec_…", "whsec_docscheck000000000000000");
        Matcher event = EVENT_ID.matcher(result);
        if (event.find()) {
            Optional<String> id = eventId(file);
            if (id.isPresent()) {
                result = event.replaceAll(id.get());
            }
        }
        return result;
    }

    /** A stored event of the sandbox's service (its emulator's catalogue events arrive as it starts). */
    private Optional<String> eventId(FileRun file) {
        if (file.eventId.isPresent()) {
            return file.eventId;
        }
        Pattern id = Pattern.compile("\"stripe_event_id\"\\s*:\\s*\"(evt_[^\"]+)\"");
        for (int attempt = 0; attempt < 30 && file.eventId.isEmpty(); attempt++) {
            Matcher found = id.matcher(file.sandbox
                    .run("java -jar service/target/billing-service.jar replay list --status all --limit 1 --json")
                    .output());
            if (found.find()) {
                file.eventId = Optional.of(found.group(1));
            }
        }
        return file.eventId;
    }

    /** pnpm is optional: without it, the same script through npm (which is what the docs promise). */
    private static String pnpm(String command) {
        if (!command.startsWith("pnpm ") || onPath("pnpm")) {
            return command;
        }
        return "npm run " + command.substring("pnpm ".length()).replaceFirst("^(\\S+)\\s", "$1 -- ");
    }

    /** A command with a placeholder: its make target exists, or its subcommand knows every option it uses. */
    private void shape(DocCommand command, String runnable, Sandbox sandbox) {
        Matcher make = Pattern.compile("^(?:\\S+=\\S*\\s+)*make (\\S+)").matcher(runnable);
        Matcher cli = Pattern.compile(
                        "^(?:\\S+=\\S*\\s+)*java -jar service/target/billing-service\\.jar((?: [a-z][a-z-]*)*)")
                .matcher(runnable);
        Sandbox.Result result;
        if (make.find()) {
            result = sandbox.run("make -n " + make.group(1));
        } else if (cli.find()) {
            result = sandbox.run("java -jar service/target/billing-service.jar" + cli.group(1) + " --help");
            List<String> unknown = new ArrayList<>();
            Matcher option = Pattern.compile("(?<=\\s)--[a-z][a-z-]*").matcher(runnable);
            while (option.find()) {
                if (!result.output().contains(option.group())) {
                    unknown.add(option.group());
                }
            }
            if (!unknown.isEmpty()) {
                fail(command.where(), command.text(), "options the command no longer has: " + unknown);
                return;
            }
        } else {
            fail(command.where(), command.text(), "a placeholder the check cannot fill in");
            return;
        }
        if (result.exit() != 0 || STALE.matcher(result.output()).find()) {
            fail(command.where(), command.text(), "does not exist any more:\n" + Sandbox.tail(result.output()));
            return;
        }
        report("shape", command, "placeholder; the target or subcommand and its options exist");
        shaped++;
    }

    private void allowed(DocCommand command, String text, AllowList.Entry entry, Sandbox sandbox) {
        if (entry.instead() == AllowList.Instead.MAKE_DRY_RUN) {
            Sandbox.Result result =
                    sandbox.run("make -n " + text.substring("make ".length()).split("\\s")[0]);
            if (result.exit() != 0) {
                fail(command.where(), command.text(), "the target is gone:\n" + Sandbox.tail(result.output()));
                return;
            }
        } else if (entry.instead() == AllowList.Instead.SCRIPT_EXISTS && !scriptExists(text)) {
            fail(command.where(), command.text(), "the script is gone");
            return;
        }
        report("allowed", command, entry.why());
        allowed++;
    }

    private boolean scriptExists(String text) {
        Matcher script = Pattern.compile("(?:npm run|pnpm) (\\S+)").matcher(text);
        if (script.find()) {
            return lines(repository.resolve("package.json")).stream()
                    .anyMatch(line -> line.contains("\"" + script.group(1) + "\":"));
        }
        if (text.startsWith("make ")) {
            return lines(repository.resolve("Makefile")).stream()
                    .anyMatch(line ->
                            line.startsWith(text.substring("make ".length()).split("\\s")[0] + ":"));
        }
        return Files.exists(repository.resolve(text.split("\\s")[0]));
    }

    private void printAllowList() {
        out.println();
        out.println("Allow-list (not run; AllowList.java says why, and what is checked instead):");
        for (AllowList.Entry entry : AllowList.ENTRIES) {
            out.println("  " + entry.pattern().pattern() + "  — " + entry.why() + " (instead: "
                    + entry.instead().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
        }
    }

    private void report(String verdict, DocCommand command, String detail) {
        out.println("  " + pad(verdict, 8) + pad(command.where(), 34) + command.text() + "  [" + detail + "]");
        out.flush();
    }

    private void fail(String where, String command, String why) {
        out.println("  " + pad("STALE", 8) + pad(where, 34) + command);
        why.lines().forEach(line -> out.println("            | " + line));
        out.flush();
        failures.add(where + "  " + command);
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** For tests: the commands found, file by file. */
    static Map<String, List<DocCommand>> commands(Path root) {
        Map<String, List<DocCommand>> all = new LinkedHashMap<>();
        for (Path document : documents(root)) {
            String name = root.relativize(document).toString();
            all.put(name, DocsCommands.extract(name, lines(document)));
        }
        return all;
    }
}
