package com.anythingagents.stripe.emulator;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Standalone emulator: {@code StripeEmulatorMain [--port 12111] [--webhook-url URL]
 * [--state-file PATH] [--webhook-retry-base-ms N]}. Prints the base URL and, when a webhook URL
 * is given, that endpoint's signing secret.
 */
public final class StripeEmulatorMain {

    private StripeEmulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        EmulatorOptions options = EmulatorOptions.defaults();
        String webhookUrl = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> options = options.port(Integer.parseInt(require(args[i], value)));
                case "--webhook-url" -> webhookUrl = require(args[i], value);
                case "--state-file" -> options = options.stateFile(Path.of(require(args[i], value)));
                case "--webhook-retry-base-ms" ->
                    options = options.webhookRetryBaseDelay(
                            java.time.Duration.ofMillis(Long.parseLong(require(args[i], value))));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        StripeEmulator emulator = StripeEmulator.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "stripe-emulator-shutdown"));
        System.out.println("Stripe emulator listening on " + emulator.baseUrl());
        if (webhookUrl != null) {
            WebhookEndpointInfo endpoint = emulator.addWebhookEndpoint(webhookUrl);
            System.out.println("Webhook endpoint " + endpoint.id() + " -> " + webhookUrl);
            System.out.println("Webhook signing secret: " + endpoint.secret());
        }
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
