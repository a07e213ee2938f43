package com.anythingagents.billing.cli;

import com.anythingagents.billing.security.Role;
import com.anythingagents.billing.security.TokenMinter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Mints a bearer token signed with the configured HS256 secret; prints only the token. */
@Command(name = "token", description = "Mint a development bearer token (HS256 with AUTH_JWT_SECRET).")
final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tenant", description = "tenant_id claim (omit for an operator token without tenant)")
    String tenant;

    @Option(
            names = "--role",
            required = true,
            split = ",",
            description = "owner, admin, member, viewer or operator (repeatable)")
    List<String> roles;

    @Option(
            names = "--ttl",
            defaultValue = "1h",
            description = "lifetime, e.g. 15m, 1h; at most 24h unless --long-lived (default ${DEFAULT-VALUE})")
    String ttl;

    @Option(
            names = "--long-lived",
            description = "a service token: --ttl may then be up to 366d (rotate it before it expires)")
    boolean longLived;

    @Option(names = "--subject", defaultValue = "dev-user", description = "sub claim (default ${DEFAULT-VALUE})")
    String subject;

    @Override
    public Integer call() {
        List<Role> parsed = roles.stream().map(TokenCommand::role).toList();
        Function<String, String> vars = CommandSettings.variables();
        TokenMinter minter = new TokenMinter(
                CommandSettings.jwtSecret(vars),
                Optional.ofNullable(vars.apply("AUTH_ISSUER")),
                Optional.ofNullable(vars.apply("AUTH_AUDIENCE")),
                Clock.systemUTC());
        Duration lifetime = duration(ttl);
        if (!longLived && lifetime.compareTo(TokenMinter.MAX_TTL) > 0) {
            throw new IllegalArgumentException("--ttl " + ttl + " is longer than " + TokenMinter.MAX_TTL.toHours()
                    + "h; pass --long-lived for a service token (at most "
                    + TokenMinter.MAX_LONG_LIVED_TTL.toDays() + "d)");
        }
        String token = longLived
                ? minter.mintLongLived(subject, tenant, parsed, lifetime)
                : minter.mint(subject, tenant, parsed, lifetime);
        spec.commandLine().getOut().println(token);
        return 0;
    }

    private static Role role(String value) {
        try {
            return Role.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(
                    "Unknown role \"" + value + "\"; use owner, admin, member, viewer or operator");
        }
    }

    static Duration duration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.matches("\\d+[smhd]")) {
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException("--ttl \"" + text + "\" is not a duration like 15m, 1h or 7d");
        }
    }
}
