package com.anythingagents.stripe.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.stripe.StripeClient;
import com.stripe.model.Event;
import com.stripe.model.InvoiceItem;
import com.stripe.model.Price;
import com.stripe.model.Subscription;
import com.stripe.model.billingportal.Session;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PriceUpdateParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import com.stripe.param.billingportal.SessionCreateParams;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The billing portal page: switch plan (with prorations), cancel at period end, renew, return. */
class PortalTests {

    private StripeEmulator emulator;
    private WebhookReceiver receiver;
    private WebhookEndpointInfo endpoint;
    private StripeClient stripe;
    private final Browser browser = new Browser();
    private Price starter;
    private Price pro;
    private Price retired;
    private Subscription sub;
    private Session session;

    @BeforeEach
    void start() throws Exception {
        emulator = StripeEmulator.start(EmulatorOptions.defaults().port(0));
        receiver = new WebhookReceiver(0);
        endpoint = emulator.addWebhookEndpoint(receiver.url());
        stripe = StripeConformanceTests.client(emulator, 0);
        starter = price("Starter", 2900L);
        pro = price("Pro", 9900L);
        retired = price("Legacy", 1900L);
        stripe.v1()
                .prices()
                .update(
                        retired.getId(),
                        PriceUpdateParams.builder().setActive(false).build());
        var meter = StripeConformanceTests.createMeter(stripe, "agent_run");
        var runs = StripeConformanceTests.meteredPrice(stripe, starter.getProduct(), meter.getId(), 2L);
        var customer = stripe.v1()
                .customers()
                .create(CustomerCreateParams.builder()
                        .setEmail("owner@acme.test")
                        .build());
        sub = stripe.v1()
                .subscriptions()
                .create(SubscriptionCreateParams.builder()
                        .setCustomer(customer.getId())
                        .addItem(SubscriptionCreateParams.Item.builder()
                                .setPrice(starter.getId())
                                .build())
                        .addItem(SubscriptionCreateParams.Item.builder()
                                .setPrice(runs.getId())
                                .build())
                        .build());
        session = stripe.v1()
                .billingPortal()
                .sessions()
                .create(SessionCreateParams.builder()
                        .setCustomer(customer.getId())
                        .setReturnUrl("https://app.acme.test/account")
                        .setConfiguration("bpc_custom")
                        .setFlowData(SessionCreateParams.FlowData.builder()
                                .setType(SessionCreateParams.FlowData.Type.PAYMENT_METHOD_UPDATE)
                                .build())
                        .build());
    }

    @AfterEach
    void stop() {
        emulator.close();
        receiver.close();
    }

    @Test
    void sessionDeserializesAndThePageListsSubscriptionsAndTheActivePlans() throws Exception {
        assertThat(session.getId()).startsWith("bps_");
        assertThat(session.getConfiguration()).isEqualTo("bpc_custom");
        assertThat(session.getReturnUrl()).isEqualTo("https://app.acme.test/account");
        assertThat(session.getUrl()).isEqualTo(emulator.baseUrl() + "/portal/" + session.getId());

        HttpResponse<String> page = browser.get(session.getUrl());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("<html lang=\"en\">", "Starter", "$29.00 per month", "active", "Renews on")
                .contains("<label for=\"price-" + sub.getId() + "\">Switch plan</label>")
                .contains("value=\"" + pro.getId() + "\"", "Pro — $99.00 per month")
                .doesNotContain("value=\"" + retired.getId() + "\"")
                .contains("Cancel plan</button>", "href=\"https://app.acme.test/account\"");
    }

    @Test
    void switchingPlanSwapsTheLicensedItemWithProrationsAndEmitsTheUpdate() throws Exception {
        emulator.advanceClock(Duration.ofDays(10));

        HttpResponse<String> switched = browser.submit(actionUrl("update"), "price", pro.getId());

        assertThat(switched.statusCode()).isEqualTo(303);
        assertThat(switched.headers().firstValue("Location"))
                .hasValue("/portal/" + session.getId() + "?notice=updated");
        Subscription after = stripe.v1().subscriptions().retrieve(sub.getId());
        assertThat(after.getItems().getData())
                .extracting(i -> i.getPrice().getId())
                .contains(pro.getId())
                .doesNotContain(starter.getId());
        assertThat(after.getItems().getData()).hasSize(2);
        List<InvoiceItem> prorations = stripe.v1().invoiceItems().list().getData();
        assertThat(prorations)
                .hasSize(2)
                .allSatisfy(ii -> assertThat(ii.getProration()).isTrue());
        assertThat(browser.get(emulator.baseUrl()
                                + switched.headers().firstValue("Location").orElseThrow())
                        .body())
                .contains("Your plan was updated.", "Pro");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(updates())
                        .anySatisfy(e ->
                                assertThat(e.getData().getPreviousAttributes()).containsKey("items")));
    }

    @Test
    void cancelSetsCancelAtPeriodEndAndRenewClearsIt() throws Exception {
        assertThat(browser.submit(actionUrl("cancel")).statusCode()).isEqualTo(303);

        Subscription canceling = stripe.v1().subscriptions().retrieve(sub.getId());
        assertThat(canceling.getCancelAtPeriodEnd()).isTrue();
        assertThat(canceling.getCancelAt())
                .isEqualTo(canceling.getItems().getData().get(0).getCurrentPeriodEnd());
        assertThat(canceling.getStatus()).isEqualTo("active");
        assertThat(browser.get(session.getUrl()).body()).contains("Cancels on", "Renew plan</button>");

        assertThat(browser.submit(actionUrl("renew")).statusCode()).isEqualTo(303);
        assertThat(stripe.v1().subscriptions().retrieve(sub.getId()).getCancelAtPeriodEnd())
                .isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> updates().size() == 2);
        assertThat(updates().get(0).getData().getPreviousAttributes()).containsEntry("cancel_at_period_end", false);
    }

    @Test
    void refusesPlansNotOfferedAndSubscriptionsOfOtherCustomers() throws Exception {
        HttpResponse<String> inactive = browser.submit(actionUrl("update"), "price", retired.getId());
        var other =
                stripe.v1().customers().create(CustomerCreateParams.builder().build());
        Session foreign = stripe.v1()
                .billingPortal()
                .sessions()
                .create(SessionCreateParams.builder().setCustomer(other.getId()).build());
        HttpResponse<String> notTheirs = browser.submit(foreign.getUrl() + "/subscriptions/" + sub.getId() + "/cancel");

        assertThat(inactive.statusCode()).isEqualTo(400);
        assertThat(notTheirs.statusCode()).isEqualTo(404);
        Subscription unchanged = stripe.v1().subscriptions().retrieve(sub.getId());
        assertThat(unchanged.getItems().getData())
                .extracting(i -> i.getPrice().getId())
                .contains(starter.getId());
        assertThat(unchanged.getCancelAtPeriodEnd()).isFalse();
    }

    private String actionUrl(String action) {
        return session.getUrl() + "/subscriptions/" + sub.getId() + "/" + action;
    }

    private Price price(String name, long amount) throws Exception {
        var product = stripe.v1()
                .products()
                .create(ProductCreateParams.builder().setName(name).build());
        return StripeConformanceTests.licensedPrice(stripe, product.getId(), amount);
    }

    private List<Event> updates() {
        return receiver.verifiedEvents(endpoint.secret()).stream()
                .filter(e -> e.getType().equals("customer.subscription.updated"))
                .toList();
    }
}
