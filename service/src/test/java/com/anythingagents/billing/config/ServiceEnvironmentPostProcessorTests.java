package com.anythingagents.billing.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The environment the service's beans see, derived from its variables before any bean exists. */
class ServiceEnvironmentPostProcessorTests {

    @TempDir
    Path envDirectory;

    @ParameterizedTest
    @ValueSource(strings = {"true", "1", "yes", "on"})
    void localModeForcedOnWithAnySpellingTheSettingsAcceptIsLocalModeThroughout(String on) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("BILLING_LOCAL_MODE", on);
        // everything local mode would start is configured, so nothing is started here
        vars.put("DATABASE_URL", "postgresql://billing@127.0.0.1:5432/billing");
        vars.put("REDIS_URL", "redis://127.0.0.1:6379");
        vars.put("ENABLE_BILLING", "false");
        vars.put("AUTH_JWT_SECRET", SettingsFixture.JWT_SECRET);
        vars.put("BILLING_LOCAL_EPHEMERAL", "true");
        vars.put("BILLING_ENV_DIR", envDirectory.toString());
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", vars));

        new ServiceEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());

        // the local-mode beans (webhook target, session file) are conditional on exactly "true"
        assertThat(environment.getProperty("BILLING_LOCAL_MODE")).isEqualTo("true");
        assertThat(environment.getProperty("billing.enabled")).isEqualTo("false");
    }
}
