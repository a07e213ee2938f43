package com.anythingagents.billing.cli;

import com.anythingagents.billing.config.EnvFiles;
import com.anythingagents.billing.local.LocalMode;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/** The variables a command sees without starting Spring: the environment over the env files. */
final class CommandSettings {

    private CommandSettings() {}

    static Function<String, String> variables() {
        Map<String, String> environment = System.getenv();
        Path directory = Path.of(environment.getOrDefault("BILLING_ENV_DIR", "."));
        return EnvFiles.withEnvironment(directory, environment)::get;
    }

    /** The HS256 secret tokens are signed with: configured, or local mode's development secret. */
    static String jwtSecret(Function<String, String> vars) {
        String configured = vars.apply("AUTH_JWT_SECRET");
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        String jwks = vars.apply("AUTH_JWKS_URI");
        if (jwks != null && !jwks.isBlank()) {
            throw new IllegalStateException(
                    "Tokens are verified with AUTH_JWKS_URI here; mint them with your identity provider");
        }
        if (!LocalMode.applies(vars, false)) {
            throw new IllegalStateException("AUTH_JWT_SECRET is not set");
        }
        return LocalMode.developmentSecret(LocalMode.directory(vars));
    }
}
