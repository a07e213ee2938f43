package com.anythingagents.billing.devinfra;

import com.anythingagents.billing.config.EnvFiles;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the development databases listen and what they are called: the environment over
 * {@code .env.compose} (which {@code docker compose} reads too, so both ways give the same URLs)
 * over defaults that stay clear of local mode's ports.
 * @param projectDirectory where {@code docker-compose.yml} and {@code .env.compose} are
 * @param dataDirectory the embedded databases' data, pid and log files
 */
public record DevInfraSettings(
        Path projectDirectory, Path dataDirectory, int postgresPort, int redisPort, String user, String database) {

    static final int DEFAULT_POSTGRES_PORT = 55432;

    static final int DEFAULT_REDIS_PORT = 56379;

    static final String COMPOSE_ENV = ".env.compose";

    static final String COMPOSE_FILE = "docker-compose.yml";

    /** @param vars the environment (over the env files) */
    public static DevInfraSettings of(Path projectDirectory, Path dataDirectory, Function<String, String> vars) {
        Map<String, String> compose = EnvFiles.readFile(projectDirectory.resolve(COMPOSE_ENV));
        Function<String, Optional<String>> value = name -> Optional.ofNullable(vars.apply(name))
                .or(() -> Optional.ofNullable(compose.get(name)))
                .map(String::strip)
                .filter(s -> !s.isEmpty());
        return new DevInfraSettings(
                projectDirectory,
                dataDirectory,
                value.apply("DEV_POSTGRES_PORT").map(Integer::parseInt).orElse(DEFAULT_POSTGRES_PORT),
                value.apply("DEV_REDIS_PORT").map(Integer::parseInt).orElse(DEFAULT_REDIS_PORT),
                value.apply("POSTGRES_USER").orElse("billing"),
                value.apply("POSTGRES_DB").orElse("billing"));
    }

    /** No password: the development databases listen on 127.0.0.1 only and trust local connections. */
    public String databaseUrl() {
        return "postgresql://" + user + "@127.0.0.1:" + postgresPort + "/" + database;
    }

    public String redisUrl() {
        return "redis://127.0.0.1:" + redisPort;
    }
}
