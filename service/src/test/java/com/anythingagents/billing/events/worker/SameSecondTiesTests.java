package com.anythingagents.billing.events.worker;

import static com.anythingagents.billing.events.TestEvents.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.EmulatorObjects;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.events.StripeObjectRef;
import com.anythingagents.billing.events.TestEvents;
import com.anythingagents.billing.local.LocalMode;
import com.anythingagents.billing.webhook.SignedDelivery;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * Events of one object in one second cannot be ordered from their payloads: the worker settles the
 * tie with Stripe's current object, read before its transaction opens. The objects are ones the
 * emulator knows; the events go through the webhook and the service's own worker.
 */
@BillingServiceTest
class SameSecondTiesTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ServiceSettings settings;

    @Autowired
    MeterRegistry meters;

    @Autowired
    StripeReads reads;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void sameSecondEventsEndInStripesCurrentStateReadOutsideAnyTransaction() {
        String tenant = "ties-" + UUID.randomUUID();
        String price =
                settings.stripe().orElseThrow().prices().priceFor("starter").orElseThrow();
        EmulatorObjects.Paying truth = EmulatorObjects.payingCustomer(tenant, price);
        double readsBefore = readsOk();
        // after the emulator's own events of these objects, whose clock other tests may have moved ahead
        Instant emulatorNow = LocalMode.emulator().orElseThrow().now();
        Instant second = (emulatorNow.isAfter(Instant.now()) ? emulatorNow : Instant.now()).plusSeconds(30);
        ObjectNode subscription = truth.subscription().deepCopy().put("status", "past_due");
        ObjectNode invoice = truth.invoice().deepCopy().put("status", "open").put("amount_paid", 0);
        List<String> ids = List.of(
                deliver("customer.subscription.updated", second, subscription),
                deliver("invoice.finalized", second, invoice),
                deliver("customer.subscription.updated", second, subscription.put("status", "unpaid")),
                deliver("invoice.payment_failed", second, invoice.put("attempt_count", 3)));

        await().atMost(Duration.ofSeconds(60))
                .until(() -> jdbc.sql("select count(*) from stripe_events where stripe_event_id = any(?)"
                                        + " and status = 'processed'")
                                .param(ids.toArray(String[]::new))
                                .query(Long.class)
                                .single()
                        == ids.size());

        assertThat(jdbc.sql("select count(*) from stripe_events where stripe_event_id = any(?) and last_error is null")
                        .param(ids.toArray(String[]::new))
                        .query(Long.class)
                        .single())
                .isEqualTo(ids.size());
        assertThat(jdbc.sql("select status from billing_subscriptions where stripe_subscription_id = ?")
                        .param(truth.subscription().path("id").asString())
                        .query(String.class)
                        .single())
                .isEqualTo(truth.subscription().path("status").asString());
        assertThat(jdbc.sql(
                                "select status, amount_paid, attempt_count from billing_invoices where stripe_invoice_id = ?")
                        .param(truth.invoice().path("id").asString())
                        .query()
                        .singleRow())
                .isEqualTo(Map.of(
                        "status", "paid",
                        "amount_paid", truth.invoice().path("amount_paid").asLong(),
                        "attempt_count", truth.invoice().path("attempt_count").asInt()));
        assertThat(readsOk()).isGreaterThanOrEqualTo(readsBefore + 2);
    }

    @Test
    void stripeIsNeverReadInsideATransaction() {
        assertThatThrownBy(() -> transactions.executeWithoutResult(
                        status -> reads.read(List.of(StripeObjectRef.charge("ch_any")), new Fetched())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never called inside a database transaction");
    }

    private String deliver(String type, Instant created, ObjectNode object) {
        String id = TestEvents.newId("evt_tie_");
        var response = SignedDelivery.postSigned(
                port,
                settings.stripe().orElseThrow().webhookSecrets().get(0),
                Instant.now(),
                json(id, type, created, object));
        assertThat(response.statusCode()).isEqualTo(200);
        return id;
    }

    private double readsOk() {
        return meters.get("stripe.event.reads").tag("result", "ok").counter().count();
    }
}
