package com.anythingagents.billing.events.worker;

import static com.anythingagents.billing.events.TestEvents.event;
import static com.anythingagents.billing.events.TestEvents.object;
import static com.anythingagents.billing.events.TestEvents.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.EventContext;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeEventHandler;
import com.anythingagents.billing.events.StripeObjectRef;
import com.anythingagents.billing.events.TenantResolution;
import com.anythingagents.billing.events.TenantResolver;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Lock keys and what the worker reads from Stripe before a batch, without a database. */
class EventDispatcherTests {

    private final EventDispatcher dispatcher = new EventDispatcher(List.of(new ChargeTracker()), new NoTenants());

    @Test
    void eventsOfOneCustomerShareOneLockWhateverTheirTenantEvidence() {
        ObjectNode charge = tenant(object("014_charge.succeeded.json"), "acme");
        ObjectNode otherTenant = tenant(object("014_charge.succeeded.json"), "globex");
        ObjectNode invoice = tenant(object("015_invoice.paid.json"), null);

        assertThat(EventDispatcher.lockKey(event("evt_1", "charge.succeeded", at(0), charge)))
                .isEqualTo(EventDispatcher.lockKey(event("evt_2", "charge.succeeded", at(1), otherTenant)))
                .isEqualTo(EventDispatcher.lockKey(event("evt_3", "invoice.paid", at(2), invoice)))
                .isEqualTo("customer:cus_AcmeP4nT7vQx2L");
        ObjectNode product = object("040_product.created.json");
        assertThat(EventDispatcher.lockKey(event("evt_4", "product.created", at(3), product)))
                .isEqualTo("object:prod_TbEnterprise001");
    }

    @Test
    void twoEventsOfOneObjectInOneSecondAreReadFromStripeBeforehandOthersAreNot() {
        ObjectNode charge = object("014_charge.succeeded.json");
        ObjectNode other = object("014_charge.succeeded.json").put("id", "ch_other");
        List<StripeEvent> batch = List.of(
                event("evt_a", "charge.succeeded", at(10), charge),
                event("evt_b", "charge.refunded", at(10), charge),
                event("evt_c", "charge.succeeded", at(10), other),
                event("evt_d", "charge.refunded", at(11), other));

        assertThat(dispatcher.likelyReads(batch)).containsExactly(StripeObjectRef.charge("ch_3TAcmeCycle01Pay0Rk2Ws"));
    }

    private static Instant at(long second) {
        return Instant.ofEpochSecond(1_800_000_000L + second);
    }

    private static final class ChargeTracker implements StripeEventHandler {

        @Override
        public Set<String> eventTypes() {
            return Set.of("charge.succeeded", "charge.refunded");
        }

        @Override
        public Optional<StripeObjectRef> tracks(StripeEvent event) {
            return Optional.of(StripeObjectRef.charge(event.objectId()));
        }

        @Override
        public Optional<BillingChange> handle(StripeEvent event, EventContext context) {
            return Optional.empty();
        }
    }

    private static final class NoTenants implements TenantResolver {

        @Override
        public Map<String, String> tenantsOf(Collection<String> stripeCustomerIds) {
            return Map.of();
        }

        @Override
        public TenantResolution resolve(StripeEvent event, Optional<String> linkedTenant) {
            return TenantResolution.none();
        }

        @Override
        public Optional<String> knownTenant(StripeEvent event) {
            return Optional.empty();
        }
    }
}
