package com.anythingagents.stripe.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.stripe.emulator.webhooks.DeliveryAttempt;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import com.stripe.param.CustomerCreateParams;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookDeliveryTests {

    @Test
    void receiverFailingTwiceGetsTheEventOnTheThirdAttempt() throws Exception {
        try (StripeEmulator emulator = StripeEmulator.start(
                        EmulatorOptions.defaults().port(0).webhookRetryBaseDelay(Duration.ofMillis(50)));
                WebhookReceiver receiver = new WebhookReceiver(2)) {
            WebhookEndpointInfo endpoint = emulator.addWebhookEndpoint(receiver.url());
            var customer = StripeConformanceTests.client(emulator, 0)
                    .v1()
                    .customers()
                    .create(CustomerCreateParams.builder()
                            .setEmail("x@acme.test")
                            .build());

            // the receiver keeps the event before it answers, so the third attempt is recorded a moment later
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> receiver.received().size() == 1
                            && emulator.deliveries().size() == 3);

            List<DeliveryAttempt> attempts = emulator.deliveries();
            assertThat(attempts).extracting(DeliveryAttempt::attempt).containsExactly(1, 2, 3);
            assertThat(attempts).extracting(DeliveryAttempt::httpStatus).containsExactly(500, 500, 200);
            assertThat(attempts).allSatisfy(a -> {
                assertThat(a.endpointId()).isEqualTo(endpoint.id());
                assertThat(a.eventType()).isEqualTo("customer.created");
            });
            var received = receiver.received().get(0);
            Event event = Webhook.constructEvent(received.payload(), received.signature(), endpoint.secret());
            assertThat(event.getId()).isEqualTo(attempts.get(0).eventId());
            assertThat(event.getDataObjectDeserializer().getRawJson()).contains(customer.getId());
            assertThat(event.getPendingWebhooks()).isEqualTo(1L);
        }
    }

    @Test
    void signatureDoesNotVerifyWithAnotherSecret() throws Exception {
        try (StripeEmulator emulator =
                        StripeEmulator.start(EmulatorOptions.defaults().port(0));
                WebhookReceiver receiver = new WebhookReceiver(0)) {
            emulator.addWebhookEndpoint(receiver.url());
            StripeConformanceTests.client(emulator, 0)
                    .v1()
                    .customers()
                    .create(CustomerCreateParams.builder().build());

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !receiver.received().isEmpty());

            var received = receiver.received().get(0);
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> Webhook.constructEvent(received.payload(), received.signature(), "whsec_other"))
                    .isInstanceOf(SignatureVerificationException.class);
        }
    }

    @Test
    void triggerReemitsTheCurrentSnapshotAndUpdatesCarryPreviousAttributes() throws Exception {
        try (StripeEmulator emulator =
                        StripeEmulator.start(EmulatorOptions.defaults().port(0));
                WebhookReceiver receiver = new WebhookReceiver(0)) {
            WebhookEndpointInfo endpoint = emulator.addWebhookEndpoint(receiver.url());
            var stripe = StripeConformanceTests.client(emulator, 0);
            var customer = stripe.v1()
                    .customers()
                    .create(CustomerCreateParams.builder().setName("Old").build());
            stripe.v1()
                    .customers()
                    .update(
                            customer.getId(),
                            com.stripe.param.CustomerUpdateParams.builder()
                                    .setName("New")
                                    .build());
            emulator.trigger("customer.updated", customer.getId());

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> receiver.received().size() == 3);

            List<Event> events = receiver.verifiedEvents(endpoint.secret());
            assertThat(events)
                    .extracting(Event::getType)
                    .containsExactly("customer.created", "customer.updated", "customer.updated");
            assertThat(events.get(1).getData().getPreviousAttributes()).containsEntry("name", "Old");
            assertThat(events.get(1).getRequest().getIdempotencyKey()).isNotBlank();
        }
    }
}
