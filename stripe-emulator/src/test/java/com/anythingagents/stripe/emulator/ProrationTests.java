package com.anythingagents.stripe.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.model.Invoice;
import com.stripe.model.InvoiceItem;
import com.stripe.model.InvoiceLineItem;
import com.stripe.model.Price;
import com.stripe.model.Subscription;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.InvoiceItemListParams;
import com.stripe.param.InvoiceListParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import com.stripe.param.SubscriptionUpdateParams;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plan and seat changes mid-period: credit for the unused time, charge for the remaining time, on
 * the next invoice ({@code create_prorations}), at once ({@code always_invoice}) or not at all.
 */
class ProrationTests {

    private StripeEmulator emulator;
    private StripeClient stripe;
    private Price starter;
    private Price pro;
    private Subscription sub;
    private long periodStart;
    private long periodEnd;

    @BeforeEach
    void start() throws Exception {
        emulator = StripeEmulator.start(EmulatorOptions.defaults().port(0));
        stripe = StripeConformanceTests.client(emulator, 0);
        var product = stripe.v1()
                .products()
                .create(ProductCreateParams.builder().setName("Agents").build());
        starter = StripeConformanceTests.licensedPrice(stripe, product.getId(), 2900L);
        pro = StripeConformanceTests.licensedPrice(stripe, product.getId(), 9900L);
        var customer =
                stripe.v1().customers().create(CustomerCreateParams.builder().build());
        sub = stripe.v1()
                .subscriptions()
                .create(SubscriptionCreateParams.builder()
                        .setCustomer(customer.getId())
                        .addItem(SubscriptionCreateParams.Item.builder()
                                .setPrice(starter.getId())
                                .build())
                        .build());
        periodStart = sub.getItems().getData().get(0).getCurrentPeriodStart();
        periodEnd = sub.getItems().getData().get(0).getCurrentPeriodEnd();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void upgradeMidPeriodLeavesProrationItemsThatTheNextInvoiceBills() throws Exception {
        emulator.advanceClock(Duration.ofDays(10));
        long at = emulator.now().getEpochSecond();

        swap(pro, 1L, SubscriptionUpdateParams.ProrationBehavior.CREATE_PRORATIONS);

        List<InvoiceItem> pending = stripe.v1()
                .invoiceItems()
                .list(InvoiceItemListParams.builder()
                        .setCustomer(sub.getCustomer())
                        .setPending(true)
                        .build())
                .getData();
        long credit = -prorated(2900, at);
        long charge = prorated(9900, at);
        assertThat(pending).hasSize(2).allSatisfy(ii -> {
            assertThat(ii.getProration()).isTrue();
            assertThat(ii.getPeriod().getStart()).isEqualTo(at);
            assertThat(ii.getPeriod().getEnd()).isEqualTo(periodEnd);
            assertThat(ii.getParent().getSubscriptionDetails().getSubscription())
                    .isEqualTo(sub.getId());
            assertThat(ii.getInvoice()).isNull();
        });
        assertThat(pending).extracting(InvoiceItem::getAmount).containsExactlyInAnyOrder(credit, charge);
        assertThat(pending.stream()
                        .filter(ii -> ii.getAmount() < 0)
                        .findFirst()
                        .orElseThrow()
                        .getDescription())
                .startsWith("Unused time on Agents after ");
        assertThat(stripe.v1()
                        .invoices()
                        .list(InvoiceListParams.builder()
                                .setSubscription(sub.getId())
                                .build())
                        .getData())
                .hasSize(1);

        emulator.advanceClockTo(java.time.Instant.ofEpochSecond(periodEnd));

        Invoice cycle = latestInvoice();
        assertThat(cycle.getBillingReason()).isEqualTo("subscription_cycle");
        List<InvoiceLineItem> prorations = cycle.getLines().getData().stream()
                .filter(l -> l.getParent().getSubscriptionItemDetails().getProration())
                .toList();
        assertThat(prorations).extracting(InvoiceLineItem::getAmount).containsExactlyInAnyOrder(credit, charge);
        assertThat(prorations)
                .allSatisfy(l -> assertThat(
                                l.getParent().getSubscriptionItemDetails().getInvoiceItem())
                        .startsWith("ii_"));
        assertThat(cycle.getTotal()).isEqualTo(9900 + credit + charge);
        assertThat(cycle.getStatus()).isEqualTo("paid");
        assertThat(stripe.v1()
                        .invoiceItems()
                        .list(InvoiceItemListParams.builder().setPending(true).build())
                        .getData())
                .isEmpty();
    }

    @Test
    void alwaysInvoiceBillsAndPaysTheProrationsAtOnce() throws Exception {
        emulator.advanceClock(Duration.ofDays(15));
        long at = emulator.now().getEpochSecond();

        Subscription changed = swap(pro, 3L, SubscriptionUpdateParams.ProrationBehavior.ALWAYS_INVOICE);

        Invoice now = stripe.v1().invoices().retrieve(changed.getLatestInvoice());
        assertThat(now.getBillingReason()).isEqualTo("subscription_update");
        assertThat(now.getStatus()).isEqualTo("paid");
        assertThat(now.getTotal()).isEqualTo(prorated(3 * 9900, at) - prorated(2900, at));
        assertThat(now.getAmountPaid()).isEqualTo(now.getTotal());
        assertThat(now.getLines().getData()).hasSize(2);
    }

    @Test
    void downgradeInvoicedAtOnceLeavesACreditThatTheNextInvoiceUses() throws Exception {
        swap(pro, 1L, SubscriptionUpdateParams.ProrationBehavior.NONE);
        emulator.advanceClock(Duration.ofDays(25)); // late enough that the next invoice is larger than the credit
        long at = emulator.now().getEpochSecond();

        Subscription changed = swap(starter, 1L, SubscriptionUpdateParams.ProrationBehavior.ALWAYS_INVOICE);

        long credit = prorated(2900, at) - prorated(9900, at);
        Invoice now = stripe.v1().invoices().retrieve(changed.getLatestInvoice());
        assertThat(now.getTotal()).isEqualTo(credit).isNegative();
        assertThat(now.getAmountDue()).isZero();
        assertThat(now.getEndingBalance()).isEqualTo(credit);
        assertThat(stripe.v1().customers().retrieve(sub.getCustomer()).getBalance())
                .isEqualTo(credit);

        emulator.advanceClockTo(java.time.Instant.ofEpochSecond(periodEnd));

        Invoice cycle = latestInvoice();
        assertThat(cycle.getStartingBalance()).isEqualTo(credit);
        assertThat(cycle.getAmountDue()).isEqualTo(2900 + credit).isPositive();
        assertThat(cycle.getAmountPaid()).isEqualTo(2900 + credit);
        assertThat(stripe.v1().customers().retrieve(sub.getCustomer()).getBalance())
                .isZero();
    }

    @Test
    void noneChangesThePriceWithoutProrationItems() throws Exception {
        emulator.advanceClock(Duration.ofDays(10));

        Subscription changed = swap(pro, 1L, SubscriptionUpdateParams.ProrationBehavior.NONE);

        assertThat(changed.getItems().getData().get(0).getPrice().getId()).isEqualTo(pro.getId());
        assertThat(stripe.v1().invoiceItems().list().getData()).isEmpty();
    }

    @Test
    void seatChangeProratesByQuantityAndCreditsTheLastBilledLine() throws Exception {
        emulator.advanceClock(Duration.ofDays(20));
        long at = emulator.now().getEpochSecond();

        swap(starter, 4L, null);

        List<InvoiceItem> pending = stripe.v1().invoiceItems().list().getData();
        InvoiceItem credit =
                pending.stream().filter(i -> i.getAmount() < 0).findFirst().orElseThrow();
        InvoiceItem charge =
                pending.stream().filter(i -> i.getAmount() > 0).findFirst().orElseThrow();
        assertThat(credit.getAmount()).isEqualTo(-prorated(2900, at));
        assertThat(credit.getQuantity()).isEqualTo(1L);
        assertThat(charge.getAmount()).isEqualTo(prorated(4 * 2900, at));
        assertThat(charge.getQuantity()).isEqualTo(4L);
        assertThat(charge.getDescription()).startsWith("Remaining time on 4 × Agents after ");
        Invoice first = stripe.v1().invoices().retrieve(sub.getLatestInvoice());
        assertThat(credit.getProrationDetails()
                        .getCreditedItems()
                        .getInvoiceLineItemDetails()
                        .getInvoice())
                .isEqualTo(first.getId());
        assertThat(credit.getProrationDetails()
                        .getCreditedItems()
                        .getInvoiceLineItemDetails()
                        .getInvoiceLineItems())
                .containsExactly(first.getLines().getData().get(0).getId());
    }

    /** Stripe's arithmetic: the full-period amount times the remaining share, to the nearest unit. */
    private long prorated(long fullPeriodAmount, long at) {
        return Math.round((double) fullPeriodAmount * (periodEnd - at) / (periodEnd - periodStart));
    }

    private Subscription swap(Price price, Long quantity, SubscriptionUpdateParams.ProrationBehavior behavior)
            throws Exception {
        var params = SubscriptionUpdateParams.builder()
                .addItem(SubscriptionUpdateParams.Item.builder()
                        .setId(sub.getItems().getData().get(0).getId())
                        .setPrice(price.getId())
                        .setQuantity(quantity)
                        .build());
        if (behavior != null) {
            params.setProrationBehavior(behavior);
        }
        return stripe.v1().subscriptions().update(sub.getId(), params.build());
    }

    private Invoice latestInvoice() throws Exception {
        return stripe.v1()
                .invoices()
                .retrieve(stripe.v1().subscriptions().retrieve(sub.getId()).getLatestInvoice());
    }
}
