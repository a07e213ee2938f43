package com.anythingagents.stripe.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.stripe.param.CustomerCreateParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTests {

    @Test
    void customersAndWebhookSecretsSurviveARestartInAPrivateFile(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("stripe-state.json");
        String customerId;
        WebhookEndpointInfo endpoint;
        try (StripeEmulator first =
                StripeEmulator.start(EmulatorOptions.defaults().port(0).stateFile(state))) {
            endpoint = first.addWebhookEndpoint("http://127.0.0.1:1/hook");
            customerId = StripeConformanceTests.client(first, 0)
                    .v1()
                    .customers()
                    .create(CustomerCreateParams.builder()
                            .setEmail("keep@acme.test")
                            .build())
                    .getId();
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
                .isEqualTo("rw-------");
        try (StripeEmulator second =
                StripeEmulator.start(EmulatorOptions.defaults().port(0).stateFile(state))) {
            var stripe = StripeConformanceTests.client(second, 0);
            assertThat(stripe.v1().customers().retrieve(customerId).getEmail()).isEqualTo("keep@acme.test");
            assertThat(second.addWebhookEndpoint(endpoint.url())).isEqualTo(endpoint);
        }
    }

    @Test
    void savesBehindTheRequestsAndKeepsEveryAcknowledgedWriteAtAShutdown(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("stripe-state.json");
        List<String> created = new ArrayList<>();
        try (StripeEmulator first =
                StripeEmulator.start(EmulatorOptions.defaults().port(0).stateFile(state))) {
            var stripe = StripeConformanceTests.client(first, 0);
            String early = stripe.v1()
                    .customers()
                    .create(CustomerCreateParams.builder().build())
                    .getId();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.exists(state) && Files.readString(state).contains(early));
            for (int i = 0; i < 200; i++) {
                created.add(stripe.v1()
                        .customers()
                        .create(CustomerCreateParams.builder().build())
                        .getId());
            }
        }

        try (StripeEmulator second =
                StripeEmulator.start(EmulatorOptions.defaults().port(0).stateFile(state))) {
            var ids = StripeConformanceTests.client(second, 0)
                    .v1()
                    .customers()
                    .list(com.stripe.param.CustomerListParams.builder()
                            .setLimit(100L)
                            .build())
                    .autoPagingIterable();
            List<String> restored = new ArrayList<>();
            ids.forEach(c -> restored.add(c.getId()));
            assertThat(restored).containsAll(created).hasSize(201);
        }
    }
}
