package com.anythingagents.billing.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the commands a Markdown document shows: in shell code blocks, the lines that start with a
 * command this repository offers (or, in a transcript, the {@code $ } lines, with the {@code (exit N)}
 * shown under them); in prose and tables, the code spans that are such a command.
 */
final class DocsCommands {

    /** Shell blocks; others (json, yaml, sql, …) hold no commands. */
    private static final Set<String> SHELL = Set.of("", "sh", "bash", "shell", "console");

    // optional VAR=value prefixes, then a command word of this repository's tooling
    private static final Pattern COMMAND = Pattern.compile(
            "^(?:[A-Za-z_][A-Za-z0-9_]*=\\S*\\s+)*(?:make|java|npm|pnpm|curl|stripe|docker|\\./mvnw|\\./scripts/\\S+"
                    + "|scripts/\\S+|e2e/\\S+|bench/\\S+)(?:\\s|$)");

    // printf '…' | make stripe-setup …: scripted input into one of them
    private static final Pattern PIPED = Pattern.compile("\\|\\s*(?:make|java|npm|pnpm)\\s");

    private static final Pattern INLINE = Pattern.compile("`([^`]+)`");

    private static final Pattern INLINE_COMMAND =
            Pattern.compile("^(?:[A-Za-z_][A-Za-z0-9_]*=\\S*\\s+)*(?:make \\S|java -jar |npm run |pnpm |\\./scripts/)");

    private static final Pattern EXIT = Pattern.compile("^\\(exit (\\d+)\\)$");

    // NAME=value alone on its line: a shell variable for the block's next lines
    private static final Pattern ASSIGNMENT =
            Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*=(\\$\\(.*\\)|\"[^\"]*\"|'[^']*'|\\S*)$");

    private DocsCommands() {}

    static List<DocCommand> extract(String file, List<String> lines) {
        List<DocCommand> commands = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.strip().startsWith("```")) {
                int end = closing(lines, i + 1);
                String language = line.strip().substring(3).strip();
                if (SHELL.contains(language)) {
                    commands.addAll(block(file, lines, i + 1, end));
                }
                i = end + 1;
                continue;
            }
            int end = paragraphEnd(lines, i);
            commands.addAll(spans(file, lines, i, end));
            i = Math.max(end, i + 1);
        }
        return commands;
    }

    /** A paragraph (or table) ends at a blank line or a code fence: a code span may wrap inside it. */
    private static int paragraphEnd(List<String> lines, int from) {
        int i = from;
        while (i < lines.size()
                && !lines.get(i).isBlank()
                && !lines.get(i).strip().startsWith("```")) {
            i++;
        }
        return i;
    }

    private static List<DocCommand> spans(String file, List<String> lines, int from, int to) {
        List<DocCommand> commands = new ArrayList<>();
        String text = String.join("\n", lines.subList(from, to));
        Matcher span = INLINE.matcher(text);
        while (span.find()) {
            String command = span.group(1).replaceAll("\\s*\\n\\s*", " ").strip();
            if (INLINE_COMMAND.matcher(command).find()) {
                int line = from
                        + (int) text.substring(0, span.start())
                                .chars()
                                .filter(c -> c == '\n')
                                .count();
                commands.add(new DocCommand(file, line + 1, command, OptionalInt.empty()));
            }
        }
        return commands;
    }

    private static int closing(List<String> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("```")) {
                return i;
            }
        }
        return lines.size();
    }

    /** Lines {@code from} (inclusive) to {@code to} (exclusive) of one shell block. */
    private static List<DocCommand> block(String file, List<String> lines, int from, int to) {
        boolean transcript = lines.subList(from, to).stream().anyMatch(l -> l.startsWith("$ "));
        List<DocCommand> commands = new ArrayList<>();
        List<String> context = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String line = lines.get(i);
            int first = i;
            if (transcript && !line.startsWith("$ ")) {
                continue;
            }
            StringBuilder text = new StringBuilder(transcript ? line.substring(2) : line);
            while (text.toString().endsWith("\\") && i + 1 < to) {
                text.setLength(text.length() - 1);
                text.append(' ').append(lines.get(++i).strip());
            }
            String command = withoutComment(text.toString()).strip();
            if (ASSIGNMENT.matcher(command).matches() && !command.contains("…")) {
                context.add(command);
                continue;
            }
            if (command.isEmpty()
                    || !(COMMAND.matcher(command).find()
                            || PIPED.matcher(command).find())) {
                continue;
            }
            commands.add(new DocCommand(
                    file,
                    first + 1,
                    command,
                    transcript ? exitShown(lines, i + 1, to) : OptionalInt.empty(),
                    String.join("\n", context)));
        }
        return commands;
    }

    /** The {@code (exit N)} line of a transcript command's output, before the next command. */
    private static OptionalInt exitShown(List<String> lines, int from, int to) {
        for (int i = from; i < to && !lines.get(i).startsWith("$ "); i++) {
            Matcher exit = EXIT.matcher(lines.get(i).strip());
            if (exit.matches()) {
                return OptionalInt.of(Integer.parseInt(exit.group(1)));
            }
        }
        return OptionalInt.empty();
    }

    /** A {@code #} that starts a word outside quotes starts a comment. */
    static String withoutComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
