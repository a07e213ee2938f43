package com.anythingagents.billing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The words of one shell command line as {@code sh} would split them, for the simple lines a README
 * holds: single and double quotes, {@code $NAME} and {@code ${NAME}} expanded from {@code vars}
 * (not inside single quotes), a {@code #} word starting a comment. No globbing, no pipes.
 */
public final class ShellLine {

    private ShellLine() {}

    public static List<String> words(String line, Map<String, String> vars) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '#' && !inWord) {
                break;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (line.charAt(i) != '"') {
                    if (line.charAt(i) == '\\' && i + 1 < line.length()) {
                        word.append(line.charAt(i + 1));
                        i += 2;
                    } else if (line.charAt(i) == '$') {
                        i = expand(line, i, vars, word);
                    } else {
                        word.append(line.charAt(i++));
                    }
                }
                inWord = true;
                i++;
            } else if (c == '$') {
                i = expand(line, i, vars, word);
                inWord = true;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static int expand(String line, int dollar, Map<String, String> vars, StringBuilder into) {
        int start = dollar + 1;
        int end;
        String name;
        if (start < line.length() && line.charAt(start) == '{') {
            end = line.indexOf('}', start);
            name = line.substring(start + 1, end);
            end++;
        } else {
            end = start;
            while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
                end++;
            }
            name = line.substring(start, end);
        }
        if (!vars.containsKey(name)) {
            throw new IllegalArgumentException("$" + name + " is not set in: " + line);
        }
        into.append(vars.get(name));
        return end;
    }
}
