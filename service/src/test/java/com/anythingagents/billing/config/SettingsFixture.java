package com.anythingagents.billing.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A complete, valid set of variables; each test spoils one part of it and reads the problems. */
final class SettingsFixture {

    static final String JWT_SECRET = "a-test-secret-that-is-at-least-32-bytes";

    private SettingsFixture() {}

    static Map<String, String> valid() {
        Map<String, String> vars = new HashMap<>();
        vars.put("ENABLE_BILLING", "true");
        vars.put("STRIPE_SECRET_KEY", "sk_test_51HxAbCdEfGhIjKl4f2a");
        vars.put("STRIPE_WEBHOOK_SECRET", "whsec_primary0123");
        vars.put("STRIPE_PRODUCT_PRICE_MAP", "starter=price_a,pro=price_b");
        vars.put("DATABASE_URL", "postgresql://billing:pw@localhost:5432/billing");
        vars.put("AUTH_JWT_SECRET", JWT_SECRET);
        return vars;
    }

    /** The valid variables with {@code changes} applied; a {@code null} value removes the variable. */
    static Map<String, String> with(Map<String, String> changes) {
        Map<String, String> vars = valid();
        changes.forEach((name, value) -> {
            if (value == null) {
                vars.remove(name);
            } else {
                vars.put(name, value);
            }
        });
        return vars;
    }

    static Map<String, String> with(String name, String value) {
        Map<String, String> changes = new HashMap<>();
        changes.put(name, value);
        return with(changes);
    }

    static ServiceSettings settings(Map<String, String> vars) {
        return ServiceSettings.from(vars::get);
    }

    /** Every problem {@link ServiceSettings#from} reports, or none when the variables are valid. */
    static List<String> problems(Map<String, String> vars) {
        try {
            settings(vars);
            return List.of();
        } catch (InvalidConfigurationException ex) {
            return ex.problems();
        }
    }
}
