package com.anythingagents.billing.config;

import java.util.List;

/** Every missing or malformed variable at once, so one restart fixes them all. */
public final class InvalidConfigurationException extends RuntimeException {

    private final List<String> problems;

    InvalidConfigurationException(List<String> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String describe(List<String> problems) {
        StringBuilder text = new StringBuilder("Invalid configuration (")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems")
                .append("):");
        problems.forEach(p -> text.append("\n  - ").append(p));
        return text.toString();
    }
}
