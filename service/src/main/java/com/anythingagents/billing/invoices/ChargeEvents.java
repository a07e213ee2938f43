package com.anythingagents.billing.invoices;

import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.EventContext;
import com.anythingagents.billing.events.Freshness;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeEventHandler;
import com.anythingagents.billing.events.StripeObjectRef;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code billing_charges} forward only (refunds included). Like invoices, a charge of an
 * unknown customer is stored without a tenant rather than dropped, and a stored one keeps its tenant.
 */
@Component
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class ChargeEvents implements StripeEventHandler {

    private final ChargeRows charges;

    ChargeEvents(ChargeRows charges) {
        this.charges = charges;
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("charge.succeeded", "charge.failed", "charge.refunded");
    }

    @Override
    public Optional<StripeObjectRef> tracks(StripeEvent event) {
        return Optional.ofNullable(event.objectId()).map(StripeObjectRef::charge);
    }

    @Override
    public Optional<BillingChange> handle(StripeEvent event, EventContext context) {
        ChargeSnapshot charge = ChargeSnapshot.from(event.object());
        String tenant = context.tenant().orElse(null);
        // one statement when the event is newer than the row; the version is read only when it is not
        Optional<InvoiceRows.Written> written = charges.upsert(tenant, charge, event, false);
        if (written.isEmpty()) {
            if (Freshness.of(charges.version(charge.id()), event) != Freshness.TIE) {
                return Optional.empty();
            }
            ChargeSnapshot payload = charge;
            // charges are never deleted; should Stripe not know it, the payload is all there is
            charge = context.current(StripeObjectRef.charge(charge.id()))
                    .map(ChargeSnapshot::from)
                    .orElse(payload);
            written = charges.upsert(tenant, charge, event, true);
            if (written.isEmpty()) {
                return Optional.empty();
            }
        }
        Optional<String> owner = written.get().tenantId();
        owner.filter(o -> tenant != null && !o.equals(tenant))
                .ifPresent(o -> context.flagConflict(
                        "charge " + event.objectId() + " is stored for tenant " + o + "; not moved to " + tenant));
        ChargeSnapshot applied = charge;
        BillingChange change = "charge.refunded".equals(event.type()) ? refunded(owner, applied) : paid(owner, applied);
        return Optional.of(applied.invoiceId()
                .map(invoice -> change.withInvoice(invoice, change.amount(), applied.currency()))
                .orElse(change));
    }

    private static BillingChange paid(Optional<String> tenantId, ChargeSnapshot c) {
        String amount = Money.format(c.amount(), c.currency());
        String summary = "failed".equals(c.status())
                ? "Payment of " + amount + " failed: " + reason(c) + " (charge " + c.id() + ")"
                : "Payment of " + amount + " " + c.status() + " (charge " + c.id() + ")";
        return BillingChange.of(tenantId.orElse(null), summary)
                .withStatus(c.status())
                .withAmount(c.amount(), c.currency());
    }

    private static BillingChange refunded(Optional<String> tenantId, ChargeSnapshot c) {
        String summary = "Refunded " + Money.format(c.amountRefunded(), c.currency()) + " of "
                + Money.format(c.amount(), c.currency()) + " (charge " + c.id() + ")";
        return BillingChange.of(tenantId.orElse(null), summary)
                .withStatus(c.fullyRefunded() ? "refunded" : "partially_refunded")
                .withAmount(c.amountRefunded(), c.currency());
    }

    private static String reason(ChargeSnapshot c) {
        if (c.failureCode() == null) {
            return c.failureMessage() != null ? c.failureMessage() : "no reason given";
        }
        String code = c.failureCode().replace('_', ' ');
        return c.failureMessage() != null ? code + " (" + c.failureMessage() + ")" : code;
    }
}
