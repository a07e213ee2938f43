package com.anythingagents.billing.setup;

import com.anythingagents.billing.config.Mask;
import com.anythingagents.billing.doctor.Finding;
import com.anythingagents.billing.stripe.StripeGateway;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One run of the assistant: how to talk to the developer, what is configured now, what this run
 * will write, and what it learned on the way (the key, whether Stripe answers).
 */
final class SetupRun {

    final Prompts prompts;

    final SetupOptions options;

    private final Function<String, String> current;

    /** Variable → new value, in the order they are written and summarized. */
    final Map<String, String> changes = new LinkedHashMap<>();

    /** The checked secret key, once step "key" has one. */
    String secretKey;

    /** A gateway for {@link #secretKey}, present when Stripe answered it. */
    Optional<StripeGateway> stripe = Optional.empty();

    SetupRun(Prompts prompts, SetupOptions options, Function<String, String> current) {
        this.prompts = prompts;
        this.options = options;
        this.current = current;
    }

    /** The value configured now (environment, then the env files), unless blank or a .env.example placeholder. */
    Optional<String> current(String name) {
        return Optional.ofNullable(current.apply(name))
                .map(String::strip)
                .filter(v -> !v.isEmpty() && !v.contains("replace_me"));
    }

    /** What this run writes, else what is configured now. */
    Optional<String> effective(String name) {
        return Optional.ofNullable(changes.get(name)).or(() -> current(name));
    }

    void heading(String title) {
        prompts.say("");
        prompts.say(title);
    }

    void report(Finding finding) {
        prompts.say(finding.text());
    }

    /** The value as it may be shown: secrets masked (each entry of a list), the rest whole. */
    static String shown(String name, String value) {
        if (!SetupOptions.secretNames().contains(name)) {
            return value;
        }
        StringBuilder masked = new StringBuilder();
        for (String entry : value.split(",")) {
            masked.append(masked.isEmpty() ? "" : ",").append(Mask.secret(entry.strip()));
        }
        return masked.toString();
    }
}
