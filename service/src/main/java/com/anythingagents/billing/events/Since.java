package com.anythingagents.billing.events;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/** A lower time bound as operators type it: {@code 2h}, {@code 7d}, {@code 2026-05-01} or an ISO instant. */
public final class Since {

    private Since() {}

    /** @throws IllegalArgumentException naming the accepted forms */
    public static Instant parse(String text, Instant now) {
        String value = text.strip();
        try {
            return parseValue(value, now);
        } catch (DateTimeException | ArithmeticException ex) { // DateTimeParseException included
            // also "999999999999d": a number too large or a time before the start of the time line
            throw new IllegalArgumentException(
                    "\"" + value + "\" is not a time: use a duration like 2h or 7d, a date like 2026-05-01 or an"
                            + " ISO instant like 2026-05-01T12:00:00Z");
        }
    }

    private static Instant parseValue(String value, Instant now) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.matches("\\d+[smhd]")) {
            long amount = parseAmount(lower.substring(0, lower.length() - 1));
            Duration duration = switch (lower.charAt(lower.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return now.minus(duration);
        }
        if (value.length() == "2026-05-01".length()) {
            return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        return Instant.parse(value);
    }

    private static long parseAmount(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException ex) {
            throw new ArithmeticException("too large: " + digits);
        }
    }
}
