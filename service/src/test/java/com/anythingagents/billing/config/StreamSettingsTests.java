package com.anythingagents.billing.config;

import static com.anythingagents.billing.config.SettingsFixture.problems;
import static com.anythingagents.billing.config.SettingsFixture.settings;
import static com.anythingagents.billing.config.SettingsFixture.valid;
import static com.anythingagents.billing.config.SettingsFixture.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamSettingsTests {

    @Test
    void defaultsPingEveryFifteenSecondsAndServeTwentyStreamsPerTenant() {
        StreamSettings stream = settings(valid()).stream();

        assertThat(stream.pingInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(stream.maxClientsPerTenant()).isEqualTo(20);
        assertThat(stream.clientBufferBytes()).isEqualTo(64 * 1024);
        assertThat(stream.reconcileInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void readsEverySetting() {
        StreamSettings stream = settings(with(Map.of(
                        "BILLING_STREAM_MAX_CLIENTS_PER_TENANT", "3",
                        "BILLING_STREAM_PING_SECONDS", "1",
                        "BILLING_STREAM_CLIENT_BUFFER_KIB", "16",
                        "BILLING_STREAM_RECONCILE_SECONDS", "60")))
                .stream();

        assertThat(stream)
                .isEqualTo(new StreamSettings(3, 2000, Duration.ofSeconds(1), 16 * 1024, Duration.ofSeconds(60)));
    }

    @Test
    void badValuesAreListedWithTheOtherConfigurationProblems() {
        assertThat(problems(with(Map.of(
                        "BILLING_STREAM_MAX_CLIENTS_PER_TENANT", "0",
                        "BILLING_STREAM_PING_SECONDS", "soon",
                        "BILLING_STREAM_CLIENT_BUFFER_KIB", "4"))))
                .containsExactlyInAnyOrder(
                        "BILLING_STREAM_MAX_CLIENTS_PER_TENANT must be a whole number above 0 (got \"0\")",
                        "BILLING_STREAM_PING_SECONDS must be a whole number of seconds above 0 (got \"soon\")",
                        "BILLING_STREAM_CLIENT_BUFFER_KIB must be at least 8");
    }
}
