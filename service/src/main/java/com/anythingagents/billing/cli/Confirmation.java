package com.anythingagents.billing.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** The operator's yes before a command changes stored rows (unless it was given --yes). */
final class Confirmation {

    private Confirmation() {}

    /**
     * Asks {@code question} and says why nothing happens when the answer is not yes.
     *
     * @param verb what would happen, for "Refusing to {verb}: …"
     * @param nothing what to say on a no, e.g. "Nothing replayed."
     * @param confirm the operator's answer; empty when nobody can answer (no terminal)
     */
    static boolean given(
            PrintWriter out, String question, String verb, String nothing, Supplier<Optional<Boolean>> confirm) {
        out.print(question + " [y/N] ");
        out.flush();
        Optional<Boolean> answer = confirm.get();
        if (answer.isEmpty()) {
            out.println();
            out.println("Refusing to " + verb + ": no terminal to confirm on; pass --yes.");
            return false;
        }
        if (!answer.get()) {
            out.println(nothing);
            return false;
        }
        return true;
    }

    /** The answer typed on the terminal; empty without one. */
    static Optional<Boolean> askOnTerminal() {
        if (System.console() == null) {
            return Optional.empty();
        }
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return Optional.of(
                    line != null && line.strip().toLowerCase(Locale.ROOT).startsWith("y"));
        } catch (IOException ex) {
            return Optional.empty();
        }
    }
}
