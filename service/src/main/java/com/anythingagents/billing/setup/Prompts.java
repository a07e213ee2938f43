package com.anythingagents.billing.setup;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the assistant asks and tells. In a terminal, secrets are read without echo
 * ({@link Console#readPassword}); with scripted input (a pipe, a test) lines are read as they come;
 * non-interactive, nothing is asked and every question takes its default.
 */
public final class Prompts {

    private final PrintWriter out;

    private final Optional<Console> console;

    private final Optional<BufferedReader> in;

    private Prompts(PrintWriter out, Optional<Console> console, Optional<BufferedReader> in) {
        this.out = out;
        this.console = console;
        this.in = in;
    }

    /** The terminal: answers from the console, secrets without echo. */
    public static Prompts terminal(PrintWriter out, Console console) {
        return new Prompts(out, Optional.of(console), Optional.empty());
    }

    /** Answers read line by line from {@code input} (a pipe, a test's script). */
    public static Prompts scripted(PrintWriter out, Reader input) {
        return new Prompts(out, Optional.empty(), Optional.of(new BufferedReader(input)));
    }

    /** Nothing is asked: flags, the current values and defaults decide. */
    public static Prompts none(PrintWriter out) {
        return new Prompts(out, Optional.empty(), Optional.empty());
    }

    public boolean interactive() {
        return console.isPresent() || in.isPresent();
    }

    public void say(String line) {
        out.println(line);
        out.flush();
    }

    /** The answer, or {@code defaultValue} for an empty one (and when not interactive). */
    public String ask(String question, String defaultValue) {
        if (!interactive()) {
            return defaultValue;
        }
        out.print(question + (defaultValue.isEmpty() ? "" : " [" + defaultValue + "]") + ": ");
        out.flush();
        String answer = readLine(false).strip();
        return answer.isEmpty() ? defaultValue : answer;
    }

    /**
     * A secret, never echoed by a terminal and never repeated here; empty when the answer was empty
     * (the caller keeps the current value).
     * @param current shown masked as what an empty answer keeps
     */
    public String askSecret(String question, Optional<String> current) {
        if (!interactive()) {
            return "";
        }
        out.print(question + current.map(c -> " [Enter keeps " + c + "]").orElse("") + ": ");
        out.flush();
        String answer = readLine(true).strip();
        if (console.isEmpty()) {
            out.println(); // a terminal ends the hidden line itself; piped input leaves the prompt open
        }
        return answer;
    }

    public boolean confirm(String question, boolean defaultYes) {
        if (!interactive()) {
            return defaultYes;
        }
        out.print(question + (defaultYes ? " [Y/n] " : " [y/N] "));
        out.flush();
        String answer = readLine(false).strip().toLowerCase(Locale.ROOT);
        return answer.isEmpty() ? defaultYes : answer.startsWith("y");
    }

    private String readLine(boolean secret) {
        if (console.isPresent()) {
            if (secret) {
                char[] chars = console.get().readPassword();
                return chars == null ? "" : new String(chars);
            }
            String line = console.get().readLine();
            return line == null ? "" : line;
        }
        try {
            String line = in.orElseThrow().readLine();
            if (line == null) {
                return "";
            }
            if (!secret) {
                out.println(line); // a transcript of piped input reads like the terminal session
            }
            return line;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
