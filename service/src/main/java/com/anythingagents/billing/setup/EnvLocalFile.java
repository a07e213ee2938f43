package com.anythingagents.billing.setup;

import com.anythingagents.billing.config.EnvFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code .env.local} edited the way a careful person would: a value that is set is changed on its
 * own line, every other line and comment stays as it was, a new variable goes under its commented
 * example (as copied from {@code .env.example}) or at the end, the previous file is kept as a
 * backup, and both are mode 0600 (they hold secrets) from the moment they exist.
 */
public final class EnvLocalFile {

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private static final DateTimeFormatter BACKUP_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    // KEY=value, optionally after `export`; group 1: everything up to and including '='
    private static final Pattern ASSIGNMENT =
            Pattern.compile("^(\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*=)(.*)$");

    // # KEY=example, the commented form .env.example uses
    private static final Pattern COMMENTED = Pattern.compile("^\\s*#\\s*([A-Za-z_][A-Za-z0-9_]*)=.*$");

    private final Path file;

    private final Clock clock;

    public EnvLocalFile(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public Path path() {
        return file;
    }

    /** What changed on disk. */
    public record Update(boolean changed, Optional<Path> backup) {}

    /** The variables the file sets now (quotes removed, as the service reads them). */
    public Map<String, String> values() {
        return EnvFiles.readFile(file);
    }

    /** Sets each variable to its value (others untouched); writes only if that changes the text. */
    public Update set(Map<String, String> changes) {
        List<String> before = lines();
        List<String> after = edited(before, changes);
        if (after.equals(before) && Files.exists(file)) {
            restrictToOwner();
            return new Update(false, Optional.empty());
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Optional<Path> backup = Optional.empty();
            if (Files.exists(file)) {
                backup = Optional.of(backup());
            }
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".env.local", ".tmp", OWNER_ONLY);
            Files.writeString(tmp, String.join("\n", after) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Update(true, backup);
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot write " + file, ex);
        }
    }

    static List<String> edited(List<String> lines, Map<String, String> changes) {
        List<String> result = new ArrayList<>(lines);
        Map<String, String> missing = new LinkedHashMap<>(changes);
        for (int i = 0; i < result.size(); i++) {
            Matcher assignment = ASSIGNMENT.matcher(result.get(i));
            if (assignment.matches() && changes.containsKey(assignment.group(2))) {
                String name = assignment.group(2);
                result.set(i, assignment.group(1) + quoted(changes.get(name)) + trailingComment(assignment.group(3)));
                missing.remove(name);
            }
        }
        List<String> appended = new ArrayList<>();
        missing.forEach((name, value) -> {
            int example = lastCommentedExample(result, name);
            if (example >= 0) {
                result.add(example + 1, name + "=" + quoted(value));
            } else {
                appended.add(name + "=" + quoted(value));
            }
        });
        if (!appended.isEmpty()) {
            if (!result.isEmpty() && !result.get(result.size() - 1).isBlank()) {
                result.add("");
            }
            result.add("# Written by `billing-service setup` (make stripe-setup / make dev-up)");
            result.addAll(appended);
        }
        return result;
    }

    private static int lastCommentedExample(List<String> lines, String name) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher commented = COMMENTED.matcher(lines.get(i));
            if (commented.matches() && commented.group(1).equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** A ` # note` after an unquoted value is the developer's: it stays. */
    private static String trailingComment(String oldValue) {
        String value = oldValue.strip();
        if (value.startsWith("'") || value.startsWith("\"")) {
            return "";
        }
        int comment = oldValue.indexOf(" #");
        return comment >= 0 ? oldValue.substring(comment) : "";
    }

    /** Bare when nothing in the value needs quoting; single quotes otherwise (JSON price maps, spaces). */
    static String quoted(String value) {
        if (value.matches("[A-Za-z0-9_./:@,=+\\-]*")) {
            return value;
        }
        if (!value.contains("'")) {
            return "'" + value + "'";
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private Path backup() throws IOException {
        String stamp = BACKUP_STAMP.format(clock.instant());
        Path backup = file.resolveSibling(file.getFileName() + ".bak-" + stamp);
        for (int n = 1; Files.exists(backup); n++) {
            backup = file.resolveSibling(file.getFileName() + ".bak-" + stamp + "-" + n);
        }
        Files.createFile(backup, OWNER_ONLY); // 0600 before a byte of the old secrets is in it
        Files.write(backup, Files.readAllBytes(file));
        return backup;
    }

    private void restrictToOwner() {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot make " + file + " mode 0600", ex);
        }
    }

    private List<String> lines() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + file, ex);
        }
    }
}
