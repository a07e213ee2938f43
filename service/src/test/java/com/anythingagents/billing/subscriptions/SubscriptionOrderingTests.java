package com.anythingagents.billing.subscriptions;

import static com.anythingagents.billing.subscriptions.SubscriptionEventJson.event;
import static com.anythingagents.billing.subscriptions.SubscriptionEventJson.item;
import static com.anythingagents.billing.subscriptions.SubscriptionEventJson.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.worker.WorkerStandIn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestContextManager;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stripe delivers out of order and more than once: whatever order and duplication the lifecycle
 * events of one subscription arrive in, the local row ends where in-order delivery leaves it.
 * jqwik has no Spring extension here, so the shared test context is injected by hand.
 */
@BillingServiceTest
class SubscriptionOrderingTests {

    private static final String TENANT = "ordering-property";

    private static final String SUBSCRIPTION = "sub_OrderingProperty01";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationContext context;

    @Autowired
    ServiceSettings settings;

    WorkerStandIn worker;

    List<StripeEvent> lifecycle;

    /** The row in-order delivery leaves, by how many lifecycle events were delivered (index 0 unused). */
    List<Map<String, Object>> inOrder;

    @BeforeProperty
    void injectAndDeliverInOrder() throws Exception {
        new TestContextManager(getClass()).prepareTestInstance(this);
        worker = WorkerStandIn.from(context);
        lifecycle = lifecycle(
                settings.stripe().orElseThrow().prices().priceFor("pro").orElseThrow());
        reset();
        inOrder = new ArrayList<>();
        inOrder.add(Map.of());
        for (StripeEvent event : lifecycle) {
            worker.process(event);
            inOrder.add(row());
        }
    }

    @AfterProperty
    void reset() {
        jdbc.sql("delete from billing_subscriptions where tenant_id = ?")
                .param(TENANT)
                .update();
        jdbc.sql("delete from billing_activity where tenant_id = ?")
                .param(TENANT)
                .update();
    }

    @Property(tries = 100)
    void anyOrderWithDuplicatesEndsInTheInOrderState(@ForAll("deliveries") List<Integer> deliveries) {
        reset();

        deliveries.forEach(i -> worker.process(lifecycle.get(i)));

        int delivered = deliveries.stream().mapToInt(i -> i).max().orElseThrow() + 1;
        assertThat(row()).isEqualTo(inOrder.get(delivered));
        assertThat(jdbc.sql("select count(*) from billing_activity where tenant_id = ?")
                        .param(TENANT)
                        .query(Long.class)
                        .single())
                .isBetween(1L, (long) delivered);
    }

    /**
     * The first n lifecycle events (n from 1 to all: a subscription need not have ended), each at
     * least once, some twice or more, in any order.
     */
    @Provide
    Arbitrary<List<Integer>> deliveries() {
        return Arbitraries.integers()
                .between(1, 5)
                .flatMap(n -> Arbitraries.integers()
                        .between(0, n - 1)
                        .list()
                        .ofMaxSize(n)
                        .flatMap(extra -> {
                            List<Integer> all = new ArrayList<>(
                                    IntStream.range(0, n).boxed().toList());
                            all.addAll(extra);
                            return Arbitraries.shuffle(all);
                        }));
    }

    /** created → trial ends → active with 2 seats → 3 seats, canceling at period end → deleted. */
    private static List<StripeEvent> lifecycle(String price) {
        ObjectNode s = subscription(SUBSCRIPTION, TENANT, "cus_OrderingProperty01", price, 1_000);
        s.put("status", "trialing").put("trial_end", 2_000);
        List<StripeEvent> events = new ArrayList<>();
        events.add(event("evt_ord_1", "customer.subscription.created", 1_000, s));
        events.add(event("evt_ord_2", "customer.subscription.trial_will_end", 1_700, s));
        s.put("status", "active");
        item(s).put("quantity", 2).put("current_period_start", 2_000).put("current_period_end", 5_000);
        events.add(event("evt_ord_3", "customer.subscription.updated", 2_000, s));
        item(s).put("quantity", 3);
        s.put("cancel_at_period_end", true);
        events.add(event("evt_ord_4", "customer.subscription.updated", 3_000, s));
        s.put("status", "canceled")
                .put("canceled_at", 5_000)
                .put("ended_at", 5_000)
                .put("cancel_at_period_end", false);
        events.add(event("evt_ord_5", "customer.subscription.deleted", 5_000, s));
        return events;
    }

    private Map<String, Object> row() {
        Map<String, Object> row =
                new LinkedHashMap<>(jdbc.sql("select * from billing_subscriptions where tenant_id = ?")
                        .param(TENANT)
                        .query()
                        .singleRow());
        row.remove("created_at");
        row.remove("updated_at");
        return row;
    }
}
