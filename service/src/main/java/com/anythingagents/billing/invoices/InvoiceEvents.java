package com.anythingagents.billing.invoices;

import com.anythingagents.billing.events.BillingChange;
import com.anythingagents.billing.events.EventContext;
import com.anythingagents.billing.events.Freshness;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeEventHandler;
import com.anythingagents.billing.events.StripeObjectRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code billing_invoices} forward only. Invoices are keyed by their Stripe id, so one whose
 * tenant is unknown is still stored (tenant null, filled in when its customer is linked): a money
 * fact is never dropped; its change is reported with no tenant. A stored invoice keeps its tenant.
 */
@Component
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class InvoiceEvents implements StripeEventHandler {

    // Without a finalization time, a failed charge this recent explains a failed invoice payment.
    private static final Duration FAILURE_WINDOW = Duration.ofHours(1);

    private final InvoiceRows invoices;

    private final ChargeRows charges;

    InvoiceEvents(InvoiceRows invoices, ChargeRows charges) {
        this.invoices = invoices;
        this.charges = charges;
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of(
                "invoice.created",
                "invoice.finalized",
                "invoice.paid",
                "invoice.payment_succeeded",
                "invoice.payment_failed",
                "invoice.payment_action_required",
                "invoice.voided",
                "invoice.marked_uncollectible");
    }

    @Override
    public Optional<StripeObjectRef> tracks(StripeEvent event) {
        return Optional.ofNullable(event.objectId()).map(StripeObjectRef::invoice);
    }

    @Override
    public Optional<BillingChange> handle(StripeEvent event, EventContext context) {
        InvoiceSnapshot invoice = InvoiceSnapshot.from(event.object());
        String tenant = context.tenant().orElse(null);
        // one statement when the event is newer than the row; the version is read only when it is not
        Optional<InvoiceRows.Written> written = invoices.upsert(tenant, invoice, event, false);
        if (written.isEmpty()) {
            if (Freshness.of(invoices.version(invoice.id()), event) != Freshness.TIE) {
                return Optional.empty();
            }
            InvoiceSnapshot payload = invoice;
            // a draft deleted since (the only invoices Stripe deletes) leaves the payload as the last word
            invoice = context.current(StripeObjectRef.invoice(invoice.id()))
                    .map(InvoiceSnapshot::from)
                    .orElse(payload);
            written = invoices.upsert(tenant, invoice, event, true);
            if (written.isEmpty()) {
                return Optional.empty();
            }
        }
        Optional<String> owner = written.get().tenantId();
        owner.filter(o -> tenant != null && !o.equals(tenant))
                .ifPresent(o -> context.flagConflict(
                        "invoice " + event.objectId() + " is stored for tenant " + o + "; not moved to " + tenant));
        InvoiceSnapshot applied = invoice;
        return Optional.of(BillingChange.of(owner.orElse(null), summary(event, applied))
                .withStatus(applied.status())
                .withSubscription(applied.subscriptionId(), null)
                .withInvoice(applied.id(), shownAmount(event, applied), applied.currency()));
    }

    private String summary(StripeEvent event, InvoiceSnapshot i) {
        String id = i.id();
        return switch (event.type()) {
            case "invoice.created" -> "Invoice " + id + " created: " + money(i.amountDue(), i) + " due";
            case "invoice.finalized" -> "Invoice " + id + " finalized: " + money(i.amountDue(), i) + " due";
            case "invoice.paid" -> "Invoice " + id + " paid: " + money(i.amountPaid(), i);
            case "invoice.payment_succeeded" -> "Payment succeeded for invoice " + id + ": " + money(i.amountPaid(), i);
            case "invoice.payment_failed" -> "Payment failed for invoice " + id + ": " + failureReason(event, i);
            case "invoice.payment_action_required" ->
                "Invoice " + id + " needs the customer to confirm payment of " + money(i.amountRemaining(), i);
            case "invoice.voided" -> "Invoice " + id + " voided (" + money(i.total(), i) + ")";
            case "invoice.marked_uncollectible" ->
                "Invoice " + id + " marked uncollectible: " + money(i.amountRemaining(), i) + " unpaid";
            default -> "Invoice " + id + " is now " + i.status();
        };
    }

    private String failureReason(StripeEvent event, InvoiceSnapshot i) {
        Instant from =
                i.finalizedAt() != null ? i.finalizedAt() : event.created().minus(FAILURE_WINDOW);
        return charges.latestFailureCode(i.customerId(), from, event.created())
                .map(code -> code.replace('_', ' '))
                .orElse("attempt " + i.attemptCount() + ", " + money(i.amountRemaining(), i) + " unpaid");
    }

    private static long shownAmount(StripeEvent event, InvoiceSnapshot i) {
        return switch (event.type()) {
            case "invoice.paid", "invoice.payment_succeeded" -> i.amountPaid();
            case "invoice.voided" -> i.total();
            case "invoice.created", "invoice.finalized" -> i.amountDue();
            default -> i.amountRemaining();
        };
    }

    private static String money(long minorUnits, InvoiceSnapshot i) {
        return Money.format(minorUnits, i.currency());
    }
}
