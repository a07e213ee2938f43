package com.anythingagents.billing.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code .env} then {@code .env.local} from a directory ({@code .env.local} wins).
 * The process environment wins over both; callers layer it on top.
 */
public final class EnvFiles {

    static final List<String> FILE_NAMES = List.of(".env", ".env.local");

    private EnvFiles() {}

    /** Variables from the env files in {@code directory}, later files overriding earlier ones. */
    public static Map<String, String> read(Path directory) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : FILE_NAMES) {
            Path file = directory.resolve(name);
            if (Files.isRegularFile(file)) {
                values.putAll(parse(readLines(file)));
            }
        }
        return values;
    }

    /** The variables of one env-style file ({@code .env.compose}, …); empty when it does not exist. */
    public static Map<String, String> readFile(Path file) {
        return Files.isRegularFile(file) ? parse(readLines(file)) : new LinkedHashMap<>();
    }

    /** The environment over the env files: what every part of the service sees as its settings. */
    public static Map<String, String> withEnvironment(Path directory, Map<String, String> environment) {
        Map<String, String> values = read(directory);
        values.putAll(environment);
        return values;
    }

    static Map<String, String> parse(List<String> lines) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            values.put(
                    line.substring(0, eq).strip(),
                    unquote(line.substring(eq + 1).strip()));
        }
        return values;
    }

    // JSON values (the price map) are usually written bare or in single quotes; double quotes
    // follow shell rules closely enough: \" and \\ are unescaped.
    private static String unquote(String value) {
        if (value.length() >= 2) {
            char first = value.charAt(0);
            char last = value.charAt(value.length() - 1);
            if (first == '\'' && last == '\'') {
                return value.substring(1, value.length() - 1);
            }
            if (first == '"' && last == '"') {
                return value.substring(1, value.length() - 1)
                        .replace("\\\"", "\"")
                        .replace("\\\\", "\\");
            }
        }
        int comment = value.indexOf(" #");
        return comment >= 0 ? value.substring(0, comment).strip() : value;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + file, ex);
        }
    }
}
