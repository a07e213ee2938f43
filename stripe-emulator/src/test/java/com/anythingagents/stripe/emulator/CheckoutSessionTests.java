package com.anythingagents.stripe.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.LineItem;
import com.stripe.model.Price;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionListParams;
import com.stripe.param.checkout.SessionRetrieveParams;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checkout Sessions in subscription mode through stripe-java, paid on the hosted page by form POST. */
class CheckoutSessionTests {

    private StripeEmulator emulator;
    private WebhookReceiver receiver;
    private WebhookEndpointInfo endpoint;
    private StripeClient stripe;
    private final Browser browser = new Browser();
    private Price pro;

    @BeforeEach
    void start() throws Exception {
        emulator =
                StripeEmulator.start(EmulatorOptions.defaults().port(0).webhookRetryBaseDelay(Duration.ofMillis(50)));
        receiver = new WebhookReceiver(0);
        endpoint = emulator.addWebhookEndpoint(receiver.url());
        stripe = StripeConformanceTests.client(emulator, 0);
        var product = stripe.v1()
                .products()
                .create(ProductCreateParams.builder().setName("Pro").build());
        pro = StripeConformanceTests.licensedPrice(stripe, product.getId(), 9900L);
    }

    @AfterEach
    void stop() {
        emulator.close();
        receiver.close();
    }

    @Test
    void paidCheckoutCreatesCustomerAndActiveSubscriptionAndRedirectsToSuccessUrl() throws Exception {
        Session session = stripe.v1()
                .checkout()
                .sessions()
                .create(subscriptionSession()
                        .setCustomerEmail("buyer@acme.test")
                        .setClientReferenceId("acme")
                        .putMetadata("tenant_id", "acme")
                        .setSubscriptionData(SessionCreateParams.SubscriptionData.builder()
                                .putMetadata("tenant_id", "acme")
                                .putMetadata("plan_code", "pro")
                                .build())
                        .setAllowPromotionCodes(true)
                        .build());

        assertThat(session.getId()).startsWith("cs_test_");
        assertThat(session.getObject()).isEqualTo("checkout.session");
        assertThat(session.getStatus()).isEqualTo("open");
        assertThat(session.getPaymentStatus()).isEqualTo("unpaid");
        assertThat(session.getMode()).isEqualTo("subscription");
        assertThat(session.getAmountTotal()).isEqualTo(19800L);
        assertThat(session.getCurrency()).isEqualTo("usd");
        assertThat(session.getAllowPromotionCodes()).isTrue();
        assertThat(session.getUrl()).isEqualTo(emulator.baseUrl() + "/checkout/" + session.getId());
        assertThat(session.getExpiresAt()).isEqualTo(session.getCreated() + 86_400);

        HttpResponse<String> page = browser.get(session.getUrl());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("Subscribe to Pro", "$198.00", "buyer@acme.test", "<label for=\"card\">")
                .contains("<button type=\"submit\">Pay</button>", "action=\"/checkout/" + session.getId() + "\"");

        HttpResponse<String> paid = browser.submit(
                session.getUrl(), "card", "4242 4242 4242 4242", "exp", "12 / 34", "cvc", "123", "name", "Ada");

        assertThat(paid.statusCode()).isEqualTo(303);
        assertThat(paid.headers().firstValue("Location"))
                .hasValue("https://app.acme.test/billing/done?session=" + session.getId());
        Session complete = stripe.v1()
                .checkout()
                .sessions()
                .retrieve(
                        session.getId(),
                        SessionRetrieveParams.builder()
                                .addExpand("subscription")
                                .build());
        assertThat(complete.getStatus()).isEqualTo("complete");
        assertThat(complete.getPaymentStatus()).isEqualTo("paid");
        assertThat(complete.getUrl()).isNull();
        assertThat(complete.getCustomerDetails().getEmail()).isEqualTo("buyer@acme.test");
        Subscription sub = complete.getSubscriptionObject();
        assertThat(sub.getStatus()).isEqualTo("active");
        assertThat(sub.getMetadata()).containsEntry("tenant_id", "acme").containsEntry("plan_code", "pro");
        assertThat(sub.getItems().getData().get(0).getQuantity()).isEqualTo(2L);
        assertThat(sub.getDefaultPaymentMethod()).startsWith("pm_");
        Customer customer = stripe.v1().customers().retrieve(complete.getCustomer());
        assertThat(customer.getEmail()).isEqualTo("buyer@acme.test");
        assertThat(customer.getName()).isEqualTo("Ada");
        Invoice invoice = stripe.v1().invoices().retrieve(complete.getInvoice());
        assertThat(invoice.getStatus()).isEqualTo("paid");
        assertThat(invoice.getAmountPaid()).isEqualTo(19800L);
        assertThat(stripe.v1()
                        .paymentMethods()
                        .retrieve(sub.getDefaultPaymentMethod())
                        .getCard()
                        .getLast4())
                .isEqualTo("4242");

        await().atMost(Duration.ofSeconds(10)).until(() -> types().contains("checkout.session.completed"));
        assertThat(types())
                .containsSubsequence(
                        "customer.created",
                        "customer.subscription.created",
                        "invoice.created",
                        "invoice.finalized",
                        "invoice.paid",
                        "checkout.session.completed");
        Event completed = events().stream()
                .filter(e -> e.getType().equals("checkout.session.completed"))
                .findFirst()
                .orElseThrow();
        Session inEvent = (Session) completed.getDataObjectDeserializer().deserializeUnsafe();
        assertThat(inEvent.getSubscription()).isEqualTo(sub.getId());
        assertThat(inEvent.getClientReferenceId()).isEqualTo("acme");
        assertThat(inEvent.getMetadata()).containsEntry("tenant_id", "acme");
        assertThat(completed.getRequest().getId()).isNull();
    }

    @Test
    void declinedCardReRendersThePageAndLeavesTheSessionOpen() throws Exception {
        Customer customer = stripe.v1()
                .customers()
                .create(CustomerCreateParams.builder().setEmail("c@acme.test").build());
        Session session = stripe.v1()
                .checkout()
                .sessions()
                .create(subscriptionSession().setCustomer(customer.getId()).build());

        HttpResponse<String> generic = browser.submit(session.getUrl(), "card", "4000000000000002");
        HttpResponse<String> funds = browser.submit(session.getUrl(), "card", "4000000000009995");
        HttpResponse<String> invalid = browser.submit(session.getUrl(), "card", "4242424242424241");

        assertThat(generic.statusCode()).isEqualTo(402);
        assertThat(generic.body()).contains("role=\"alert\"", "Your card was declined.", "Pay</button>");
        assertThat(funds.body()).contains("Your card was declined.", "insufficient funds");
        assertThat(invalid.statusCode()).isEqualTo(402);
        assertThat(invalid.body()).contains("Your card number is incorrect.");
        Session still = stripe.v1().checkout().sessions().retrieve(session.getId());
        assertThat(still.getStatus()).isEqualTo("open");
        assertThat(still.getPaymentStatus()).isEqualTo("unpaid");
        assertThat(still.getSubscription()).isNull();
        assertThat(stripe.v1().subscriptions().list().getData()).isEmpty();

        HttpResponse<String> retry = browser.submit(session.getUrl(), "card", "4242424242424242");
        assertThat(retry.statusCode()).isEqualTo(303);
        assertThat(stripe.v1().checkout().sessions().retrieve(session.getId()).getCustomer())
                .isEqualTo(customer.getId());
        assertThat(stripe.v1().customers().list().getData()).hasSize(1);
    }

    @Test
    void controlApiPaysLikeTheFormAndAnswersADeclineAsACardError() throws Exception {
        Session session = stripe.v1()
                .checkout()
                .sessions()
                .create(subscriptionSession().setCustomerEmail("ops@acme.test").build());
        String pay = emulator.baseUrl() + "/_emulator/checkout/sessions/" + session.getId() + "/pay";

        HttpResponse<String> declined = browser.postJson(pay, "{\"card\":\"4000000000009995\"}");
        HttpResponse<String> paid = browser.postJson(pay, "{\"card\":\"4242424242424242\"}");
        HttpResponse<String> again = browser.postJson(pay, "{\"card\":\"4242424242424242\"}");

        assertThat(declined.statusCode()).isEqualTo(402);
        assertThat(declined.body()).contains("\"decline_code\":\"insufficient_funds\"", "\"type\":\"card_error\"");
        assertThat(paid.statusCode()).isEqualTo(200);
        assertThat(paid.body()).contains("\"status\":\"complete\"", "\"payment_status\":\"paid\"");
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(stripe.v1().subscriptions().list().getData()).hasSize(1);
    }

    @Test
    void trialSessionIsFreeTodayAndStartsATrialingSubscription() throws Exception {
        Session session = stripe.v1()
                .checkout()
                .sessions()
                .create(subscriptionSession()
                        .setSubscriptionData(SessionCreateParams.SubscriptionData.builder()
                                .setTrialPeriodDays(14L)
                                .build())
                        .build());
        assertThat(session.getAmountTotal()).isZero();

        HttpResponse<String> noEmail = browser.submit(session.getUrl(), "card", "4242424242424242");
        assertThat(noEmail.statusCode()).isEqualTo(400);
        assertThat(noEmail.body()).contains("Enter your email address.", "aria-invalid=\"true\"");

        assertThat(browser.submit(session.getUrl(), "email", "t@acme.test", "card", "4242424242424242")
                        .statusCode())
                .isEqualTo(303);
        Session complete = stripe.v1().checkout().sessions().retrieve(session.getId());
        assertThat(complete.getPaymentStatus()).isEqualTo("no_payment_required");
        Subscription sub = stripe.v1().subscriptions().retrieve(complete.getSubscription());
        assertThat(sub.getStatus()).isEqualTo("trialing");
        assertThat(sub.getTrialEnd() - sub.getTrialStart()).isEqualTo(14 * 86_400L);
    }

    @Test
    void sessionsExpireByApiAndByClockAndAreListedWithTheirLineItems() throws Exception {
        Session first =
                stripe.v1().checkout().sessions().create(subscriptionSession().build());
        Session second =
                stripe.v1().checkout().sessions().create(subscriptionSession().build());

        Session expired = stripe.v1().checkout().sessions().expire(first.getId());
        assertThat(expired.getStatus()).isEqualTo("expired");
        assertThat(expired.getUrl()).isNull();
        assertThatThrownBy(() -> stripe.v1().checkout().sessions().expire(first.getId()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("status of \"expired\"");
        emulator.advanceClock(Duration.ofHours(25));
        assertThat(stripe.v1().checkout().sessions().retrieve(second.getId()).getStatus())
                .isEqualTo("expired");
        assertThat(browser.get(second.getUrl() == null ? "" : second.getUrl()).statusCode())
                .isEqualTo(410);

        var listed = stripe.v1()
                .checkout()
                .sessions()
                .list(SessionListParams.builder()
                        .setStatus(SessionListParams.Status.EXPIRED)
                        .build());
        assertThat(listed.getData()).extracting(Session::getId).containsExactly(second.getId(), first.getId());
        List<LineItem> items = stripe.v1()
                .checkout()
                .sessions()
                .lineItems()
                .list(first.getId())
                .getData();
        assertThat(items).singleElement().satisfies(i -> {
            assertThat(i.getPrice().getId()).isEqualTo(pro.getId());
            assertThat(i.getQuantity()).isEqualTo(2L);
            assertThat(i.getAmountTotal()).isEqualTo(19800L);
            assertThat(i.getDescription()).isEqualTo("Pro");
        });
        Session expanded = stripe.v1()
                .checkout()
                .sessions()
                .retrieve(
                        first.getId(),
                        SessionRetrieveParams.builder().addExpand("line_items").build());
        assertThat(expanded.getLineItems().getData()).hasSize(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> types().stream()
                                .filter("checkout.session.expired"::equals)
                                .count()
                        == 2);
    }

    @Test
    void rejectsWhatStripeRejects() {
        assertThatThrownBy(() -> stripe.v1()
                        .checkout()
                        .sessions()
                        .create(SessionCreateParams.builder()
                                .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                                .setSuccessUrl("https://app.acme.test/ok")
                                .addLineItem(SessionCreateParams.LineItem.builder()
                                        .setPrice(pro.getId())
                                        .build())
                                .build()))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.getParam()).isEqualTo("line_items[0][quantity]"));
        assertThatThrownBy(() -> stripe.v1()
                        .checkout()
                        .sessions()
                        .create(subscriptionSession().setCustomer("cus_missing").build()))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.getCode()).isEqualTo("resource_missing"));
        assertThatThrownBy(() -> stripe.v1()
                        .checkout()
                        .sessions()
                        .create(SessionCreateParams.builder()
                                .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                                .build()))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.getParam()).isEqualTo("line_items"));
    }

    private SessionCreateParams.Builder subscriptionSession() {
        return SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                .setSuccessUrl("https://app.acme.test/billing/done?session={CHECKOUT_SESSION_ID}")
                .setCancelUrl("https://app.acme.test/billing")
                .addLineItem(SessionCreateParams.LineItem.builder()
                        .setPrice(pro.getId())
                        .setQuantity(2L)
                        .build());
    }

    private List<String> types() {
        return events().stream().map(Event::getType).toList();
    }

    private List<Event> events() {
        return receiver.verifiedEvents(endpoint.secret());
    }
}
