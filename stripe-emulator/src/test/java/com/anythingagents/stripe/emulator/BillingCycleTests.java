package com.anythingagents.stripe.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.InvoiceLineItem;
import com.stripe.model.Subscription;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.InvoiceListParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Customer → meter → metered price → trialing subscription → usage → clock → invoice → paid. */
class BillingCycleTests {

    private StripeEmulator emulator;
    private WebhookReceiver receiver;
    private StripeClient stripe;
    private WebhookEndpointInfo endpoint;

    @BeforeEach
    void start() {
        emulator =
                StripeEmulator.start(EmulatorOptions.defaults().port(0).webhookRetryBaseDelay(Duration.ofMillis(50)));
        receiver = new WebhookReceiver(0);
        endpoint = emulator.addWebhookEndpoint(receiver.url());
        stripe = StripeConformanceTests.client(emulator, 0);
    }

    @AfterEach
    void stop() {
        emulator.close();
        receiver.close();
    }

    @Test
    void meteredUsageIsInvoicedAtPeriodEndWithoutDuplicatesAndPaid() throws Exception {
        Customer customer = stripe.v1()
                .customers()
                .create(CustomerCreateParams.builder()
                        .putMetadata("tenant_id", "acme")
                        .build());
        var meter = StripeConformanceTests.createMeter(stripe, "tokens");
        var product = stripe.v1()
                .products()
                .create(ProductCreateParams.builder().setName("Tokens").build());
        var seat = StripeConformanceTests.licensedPrice(stripe, product.getId(), 2000L);
        var usage = StripeConformanceTests.meteredPrice(stripe, product.getId(), meter.getId(), 3L);
        Subscription sub = stripe.v1()
                .subscriptions()
                .create(SubscriptionCreateParams.builder()
                        .setCustomer(customer.getId())
                        .setTrialPeriodDays(14L)
                        .addItem(SubscriptionCreateParams.Item.builder()
                                .setPrice(seat.getId())
                                .setQuantity(2L)
                                .build())
                        .addItem(SubscriptionCreateParams.Item.builder()
                                .setPrice(usage.getId())
                                .build())
                        .addExpand("latest_invoice")
                        .build());
        assertThat(sub.getStatus()).isEqualTo("trialing");
        assertThat(sub.getLatestInvoiceObject().getTotal()).isZero();
        assertThat(sub.getLatestInvoiceObject().getStatus()).isEqualTo("paid");

        emulator.advanceClock(Duration.ofDays(14).plusHours(1));
        Subscription active = stripe.v1().subscriptions().retrieve(sub.getId());
        assertThat(active.getStatus()).isEqualTo("active");
        long now = emulator.now().getEpochSecond();
        stripe.v1()
                .billing()
                .meterEvents()
                .create(StripeConformanceTests.meterEvent(customer.getId(), "10", "u-1", now));
        stripe.v1()
                .billing()
                .meterEvents()
                .create(StripeConformanceTests.meterEvent(customer.getId(), "32", "u-2", now));
        assertThatThrownBy(() -> stripe.v1()
                        .billing()
                        .meterEvents()
                        .create(StripeConformanceTests.meterEvent(customer.getId(), "32", "u-2", now)))
                .isInstanceOf(InvalidRequestException.class);

        emulator.advanceClock(Duration.ofDays(31));

        List<Invoice> invoices = stripe.v1()
                .invoices()
                .list(InvoiceListParams.builder().setSubscription(sub.getId()).build())
                .getData();
        assertThat(invoices).hasSize(3);
        Invoice cycle = invoices.get(0);
        assertThat(cycle.getBillingReason()).isEqualTo("subscription_cycle");
        assertThat(cycle.getStatus()).isEqualTo("paid");
        InvoiceLineItem metered = cycle.getLines().getData().stream()
                .filter(l -> l.getPricing().getPriceDetails().getPrice().equals(usage.getId()))
                .findFirst()
                .orElseThrow();
        assertThat(metered.getQuantity()).isEqualTo(42L);
        assertThat(metered.getAmount()).isEqualTo(126L);
        assertThat(cycle.getTotal()).isEqualTo(4000L + 126L);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(receivedTypes())
                        .contains(
                                "invoice.paid",
                                "invoice.payment_succeeded",
                                "charge.succeeded",
                                "customer.subscription.created",
                                "customer.subscription.trial_will_end",
                                "customer.subscription.updated",
                                "invoice.finalized"));
        Event paid = verifiedEvents().stream()
                .filter(e -> e.getType().equals("invoice.paid")
                        && e.getDataObjectDeserializer().getRawJson().contains(cycle.getId()))
                .findFirst()
                .orElseThrow();
        assertThat(paid.getApiVersion()).isEqualTo("2026-07-29.dahlia");
        assertThat(((Invoice) paid.getDataObjectDeserializer().deserializeUnsafe()).getAmountPaid())
                .isEqualTo(4126L);
    }

    @Test
    void armedDeclineLeavesInvoiceOpenAndSubscriptionPastDue() throws Exception {
        Customer customer =
                stripe.v1().customers().create(CustomerCreateParams.builder().build());
        var product = stripe.v1()
                .products()
                .create(ProductCreateParams.builder().setName("Seats").build());
        var seat = StripeConformanceTests.licensedPrice(stripe, product.getId(), 1500L);
        Subscription sub = stripe.v1()
                .subscriptions()
                .create(SubscriptionCreateParams.builder()
                        .setCustomer(customer.getId())
                        .addItem(SubscriptionCreateParams.Item.builder()
                                .setPrice(seat.getId())
                                .build())
                        .build());

        emulator.failNextPayment(customer.getId(), "insufficient_funds");
        emulator.advanceClock(Duration.ofDays(32));

        Subscription pastDue = stripe.v1().subscriptions().retrieve(sub.getId());
        assertThat(pastDue.getStatus()).isEqualTo("past_due");
        Invoice open = stripe.v1().invoices().retrieve(pastDue.getLatestInvoice());
        assertThat(open.getStatus()).isEqualTo("open");
        assertThat(open.getAttemptCount()).isEqualTo(1L);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(receivedTypes()).contains("charge.failed", "invoice.payment_failed"));

        Invoice paid = stripe.v1().invoices().pay(open.getId());
        assertThat(paid.getStatus()).isEqualTo("paid");
        assertThat(stripe.v1().subscriptions().retrieve(sub.getId()).getStatus())
                .isEqualTo("active");
    }

    private List<String> receivedTypes() {
        return verifiedEvents().stream().map(Event::getType).toList();
    }

    /** Every received payload must carry a valid signature for the endpoint's secret. */
    private List<Event> verifiedEvents() {
        receiver.received().forEach(r -> assertThat(r.contentType()).startsWith("application/json"));
        return receiver.verifiedEvents(endpoint.secret());
    }
}
