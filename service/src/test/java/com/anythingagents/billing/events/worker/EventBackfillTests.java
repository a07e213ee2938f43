package com.anythingagents.billing.events.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.events.Backfill;
import com.anythingagents.billing.events.EventStatus;
import com.anythingagents.billing.events.StoredEvent;
import com.anythingagents.billing.events.store.StripeEventStore;
import com.anythingagents.billing.local.LocalMode;
import com.anythingagents.stripe.emulator.StripeEmulator;
import com.stripe.StripeClient;
import com.stripe.model.Customer;
import com.stripe.model.WebhookEndpoint;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.WebhookEndpointUpdateParams;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** sync-events' service against the emulator: events that never reached the webhook are stored and processed. */
@BillingServiceTest
class EventBackfillTests {

    @Autowired
    EventBackfill backfill;

    @Autowired
    StripeEventStore store;

    @Test
    void storesAndProcessesEventsTheWebhookNeverDelivered() throws Exception {
        StripeEmulator emulator = LocalMode.emulator().orElseThrow();
        StripeClient stripe = StripeClient.builder()
                .setApiKey("sk_test_backfill")
                .setApiBase(emulator.baseUrl())
                .build();
        java.time.Instant since = emulator.now().minusSeconds(1);
        Customer customer;
        // while the endpoint is disabled the emulator delivers nothing, like an outage on our side
        setEndpointsDisabled(stripe, true);
        try {
            customer = stripe.customers()
                    .create(CustomerCreateParams.builder()
                            .setEmail("backfill@example.com")
                            .putMetadata("tenant_id", "t_" + UUID.randomUUID())
                            .build());
        } finally {
            setEndpointsDisabled(stripe, false);
        }
        String eventId = stripe.events().list().getData().stream()
                .filter(e -> e.getType().equals("customer.created"))
                .filter(e -> e.getDataObjectDeserializer().getRawJson().contains(customer.getId()))
                .findFirst()
                .orElseThrow()
                .getId();
        assertThat(store.find(eventId)).isEmpty();

        Backfill dryRun = backfill.sync(since, true);
        assertThat(dryRun.missing()).extracting(Backfill.Missing::id).contains(eventId);
        assertThat(store.find(eventId)).isEmpty();

        Backfill result = backfill.sync(since, false);
        assertThat(result.missing()).extracting(Backfill.Missing::id).contains(eventId);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> store.find(eventId).map(StoredEvent::status).orElse(null) == EventStatus.PROCESSED);

        Backfill again = backfill.sync(since, false);
        assertThat(again.missing()).extracting(Backfill.Missing::id).doesNotContain(eventId);
        assertThat(again.alreadyStored()).isGreaterThanOrEqualTo(1);
    }

    private static void setEndpointsDisabled(StripeClient stripe, boolean disabled) throws Exception {
        for (WebhookEndpoint endpoint : stripe.webhookEndpoints().list().getData()) {
            stripe.webhookEndpoints()
                    .update(
                            endpoint.getId(),
                            WebhookEndpointUpdateParams.builder()
                                    .setDisabled(disabled)
                                    .build());
        }
    }
}
