package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ObjectNode;

/**
 * The subset of Stripe's search query language the emulator understands: clauses like
 * {@code metadata['k']:'v'}, {@code email:'x'} or {@code name~'sub'} joined by all-AND or all-OR.
 */
record SearchQuery(List<Clause> clauses, boolean any) {

    private static final Pattern CLAUSE =
            Pattern.compile("\\s*(?:metadata\\[['\"]([^'\"]+)['\"]]|(\\w+))\\s*([:~])\\s*['\"]([^'\"]*)['\"]\\s*");

    record Clause(String metadataKey, String field, boolean substring, String value) {

        boolean matches(ObjectNode object) {
            String actual = metadataKey != null
                    ? object.path("metadata").path(metadataKey).asString(null)
                    : object.path(field).asString(null);
            if (actual == null) {
                return false;
            }
            return substring ? actual.contains(value) : actual.equals(value);
        }
    }

    static SearchQuery parse(String query) {
        boolean any = query.contains(" OR ");
        List<Clause> clauses = new ArrayList<>();
        for (String part : query.split("\\s+(?:AND|OR)\\s+")) {
            Matcher m = CLAUSE.matcher(part);
            if (!m.matches()) {
                throw StripeException.invalid("query", "Invalid search query: " + query);
            }
            clauses.add(new Clause(m.group(1), m.group(2), m.group(3).equals("~"), m.group(4)));
        }
        return new SearchQuery(clauses, any);
    }

    boolean matches(ObjectNode object) {
        return any
                ? clauses.stream().anyMatch(c -> c.matches(object))
                : clauses.stream().allMatch(c -> c.matches(object));
    }
}
