package com.anythingagents.billing.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** Readers for single variables; each adds a message to {@code problems} instead of throwing. */
final class Settings {

    private Settings() {}

    static boolean flag(Function<String, String> vars, String name, boolean defaultValue, List<String> problems) {
        String value = vars.apply(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on":
                return true;
            case "false", "0", "no", "off":
                return false;
            default:
                problems.add(name + " must be true or false (got \"" + value.strip() + "\")");
                return defaultValue;
        }
    }

    static Duration seconds(Function<String, String> vars, String name, Duration defaultValue, List<String> problems) {
        String value = vars.apply(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds > 0) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException ex) {
            // reported below
        }
        problems.add(name + " must be a whole number of seconds above 0 (got \"" + value.strip() + "\")");
        return defaultValue;
    }

    static int positive(Function<String, String> vars, String name, int defaultValue, List<String> problems) {
        String value = vars.apply(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException ex) {
            // reported below
        }
        problems.add(name + " must be a whole number above 0 (got \"" + value.strip() + "\")");
        return defaultValue;
    }

    static Optional<URI> httpUrl(Function<String, String> vars, String name, List<String> problems) {
        return url(vars, name, List.of("http", "https"), problems);
    }

    static Optional<URI> url(Function<String, String> vars, String name, List<String> schemes, List<String> problems) {
        String value = vars.apply(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value.strip());
            if (uri.getScheme() != null && schemes.contains(uri.getScheme()) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException ex) {
            // reported below
        }
        problems.add(name + " must be a " + String.join(" or ", schemes) + " URL with a host");
        return Optional.empty();
    }

    static Optional<String> text(Function<String, String> vars, String name) {
        return Optional.ofNullable(vars.apply(name)).map(String::strip).filter(s -> !s.isEmpty());
    }
}
