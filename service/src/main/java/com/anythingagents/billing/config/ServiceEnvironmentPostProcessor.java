package com.anythingagents.billing.config;

import com.anythingagents.billing.local.LocalMode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;

/**
 * Turns the service's variables into a Spring environment before any bean exists:
 * env files under the environment, local-mode defaults under both, one validation pass that
 * reports every problem (so nothing, not even an embedded database, starts on bad settings),
 * then the connection URLs translated into Spring's datasource and Redis properties.
 */
class ServiceEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String ENV_FILES = "billingEnvFiles";

    static final String LOCAL_MODE = "billingLocalMode";

    static final String DERIVED = "billingDerived";

    @Override
    public int getOrder() {
        // after Spring's own system-environment processor, before config data is bound
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        MutablePropertySources sources = environment.getPropertySources();
        Path envDirectory = Path.of(environment.getProperty("BILLING_ENV_DIR", "."));
        addBelowEnvironment(sources, new MapPropertySource(ENV_FILES, new HashMap<>(EnvFiles.read(envDirectory))));
        Function<String, String> vars = environment::getProperty;
        boolean production = Arrays.asList(environment.getActiveProfiles()).contains("prod");
        if (LocalMode.applies(vars, production)) {
            Map<String, String> planned = LocalMode.plan(vars);
            Map<String, String> onlyMissing = new HashMap<>();
            planned.forEach((name, value) -> {
                if (environment.getProperty(name) == null) {
                    onlyMissing.put(name, value);
                }
            });
            sources.addLast(new MapPropertySource(LOCAL_MODE, new HashMap<>(onlyMissing)));
        }
        ServiceSettings settings = ServiceSettings.from(vars);
        if (settings.localMode()) {
            LocalMode.start(
                    vars, name -> sources.get(LOCAL_MODE).getProperty(name) instanceof String value ? value : null);
        }
        sources.addFirst(new MapPropertySource(DERIVED, springProperties(vars, settings)));
    }

    private static void addBelowEnvironment(MutablePropertySources sources, MapPropertySource source) {
        String environmentSource = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
        if (sources.contains(environmentSource)) {
            sources.addAfter(environmentSource, source);
        } else {
            sources.addLast(source);
        }
    }

    /** Spring's own keys, derived from the service's variables (already validated). */
    private static Map<String, Object> springProperties(Function<String, String> vars, ServiceSettings settings) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("billing.enabled", String.valueOf(settings.billingEnabled()));
        properties.put("billing.stream.enabled", String.valueOf(settings.streamEnabled()));
        // normalized ("1", "yes" and "on" are true too): local-mode beans are conditional on "true"
        properties.put("BILLING_LOCAL_MODE", String.valueOf(settings.localMode()));
        DatabaseUrl database = DatabaseUrl.parse(vars.apply("DATABASE_URL"));
        properties.put("spring.datasource.url", database.jdbcUrl());
        if (database.username() != null) {
            properties.put("spring.datasource.username", database.username());
        }
        if (database.password() != null) {
            properties.put("spring.datasource.password", database.password());
        }
        String redis = vars.apply("REDIS_URL");
        if (redis != null && !redis.isBlank()) {
            properties.put("spring.data.redis.url", redis.strip());
        } else {
            // no Redis configured: don't report a Redis that was never meant to exist as DOWN
            properties.put("management.health.redis.enabled", "false");
        }
        return properties;
    }
}
