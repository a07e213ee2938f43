package com.anythingagents.billing.doctor;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one check, printed as one line ({@code ok  database 127.0.0.1:5432/billing: …})
 * with the fix on the next when there is one. Never holds a secret: callers mask what they show.
 */
public record Finding(Level level, String subject, String message, Optional<String> fix) {

    /** How a check came out; {@link #INFO} is not a check's verdict but what was not checked, and why. */
    public enum Level {
        OK,
        INFO,
        WARNING,
        ERROR;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int LABEL_WIDTH = 9;

    public Finding {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
    }

    public static Finding ok(String subject, String message) {
        return new Finding(Level.OK, subject, message, Optional.empty());
    }

    public static Finding info(String subject, String message) {
        return new Finding(Level.INFO, subject, message, Optional.empty());
    }

    public static Finding warning(String subject, String message, String fix) {
        return new Finding(Level.WARNING, subject, message, Optional.of(fix));
    }

    public static Finding error(String subject, String message, String fix) {
        return new Finding(Level.ERROR, subject, message, Optional.of(fix));
    }

    public boolean isError() {
        return level == Level.ERROR;
    }

    /** {@code level  subject: message}, then {@code fix: …} indented under the message. */
    public String text() {
        String line = pad(level.label()) + subject + ": " + message;
        return fix.map(f -> line + System.lineSeparator() + pad("") + "fix: " + f)
                .orElse(line);
    }

    private static String pad(String label) {
        return label + " ".repeat(LABEL_WIDTH - label.length());
    }
}
