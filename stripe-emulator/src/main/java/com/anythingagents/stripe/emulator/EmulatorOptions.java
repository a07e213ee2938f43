package com.anythingagents.stripe.emulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of one emulator: listen port (0 = random), webhook retry policy and an optional state
 * file. Start from {@link #defaults()} and change what you need: {@code defaults().port(0)}.
 */
public record EmulatorOptions(
        int port,
        Duration webhookRetryBaseDelay,
        int webhookMaxAttempts,
        Duration webhookTimeout,
        Optional<Path> stateFile) {

    public static final int DEFAULT_PORT = 12111;
    public static final Duration DEFAULT_RETRY_BASE_DELAY = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_ATTEMPTS = 8;
    public static final Duration DEFAULT_WEBHOOK_TIMEOUT = Duration.ofSeconds(10);

    public EmulatorOptions {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (webhookRetryBaseDelay.isNegative()
                || webhookMaxAttempts < 1
                || webhookTimeout.isNegative()
                || webhookTimeout.isZero()) {
            throw new IllegalArgumentException("bad webhook settings");
        }
    }

    /** Port 12111, retries after 1 s doubling up to 8 attempts, 10 s timeout, no state file. */
    public static EmulatorOptions defaults() {
        return new EmulatorOptions(
                DEFAULT_PORT,
                DEFAULT_RETRY_BASE_DELAY,
                DEFAULT_MAX_ATTEMPTS,
                DEFAULT_WEBHOOK_TIMEOUT,
                Optional.empty());
    }

    public EmulatorOptions port(int value) {
        return new EmulatorOptions(value, webhookRetryBaseDelay, webhookMaxAttempts, webhookTimeout, stateFile);
    }

    public EmulatorOptions webhookRetryBaseDelay(Duration value) {
        return new EmulatorOptions(port, value, webhookMaxAttempts, webhookTimeout, stateFile);
    }

    public EmulatorOptions webhookMaxAttempts(int value) {
        return new EmulatorOptions(port, webhookRetryBaseDelay, value, webhookTimeout, stateFile);
    }

    public EmulatorOptions webhookTimeout(Duration value) {
        return new EmulatorOptions(port, webhookRetryBaseDelay, webhookMaxAttempts, value, stateFile);
    }

    /**
     * Loads state from this file at start and saves it (mode 0600) shortly after changes, a few
     * times a second at most, and on close, which keeps every acknowledged change.
     */
    public EmulatorOptions stateFile(Path value) {
        return new EmulatorOptions(port, webhookRetryBaseDelay, webhookMaxAttempts, webhookTimeout, Optional.of(value));
    }
}
