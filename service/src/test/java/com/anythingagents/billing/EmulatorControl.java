package com.anythingagents.billing;

import com.anythingagents.billing.local.LocalMode;
import com.anythingagents.stripe.emulator.StripeEmulator;
import com.stripe.StripeClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Local mode's emulator as tests drive it: Stripe's own view through stripe-java, and its control
 * API (faults, clock) over HTTP as any client would use it.
 */
public record EmulatorControl(StripeEmulator emulator) {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static EmulatorControl local() {
        return new EmulatorControl(LocalMode.emulator().orElseThrow());
    }

    /** What Stripe holds, read with the official SDK. */
    public StripeClient stripe() {
        return StripeClient.builder()
                .setApiKey(TestStripe.SECRET_KEY)
                .setApiBase(emulator.baseUrl())
                .setMeterEventsBase(emulator.baseUrl())
                .build();
    }

    /**
     * The next {@code count} calls of {@code method} on paths starting with {@code pathPrefix} fail
     * with {@code status} (0: none) after {@code latencyMs}.
     */
    public void fault(String method, String pathPrefix, int status, long latencyMs, int count) {
        control(
                "/_emulator/faults",
                "{\"method\":\"" + method + "\",\"path_prefix\":\"" + pathPrefix + "\",\"status\":" + status
                        + ",\"latency_ms\":" + latencyMs + ",\"count\":" + count + "}");
    }

    public void advanceClock(Duration duration) {
        emulator.advanceClock(duration);
    }

    private void control(String path, String json) {
        try {
            HttpResponse<String> response = CLIENT.send(
                    HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
