package com.anythingagents.billing.invoices;

import com.anythingagents.billing.events.RowVersion;
import com.anythingagents.billing.events.StripeEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code billing_invoices}, one row per Stripe invoice, written only forward in event time. */
@Repository
class InvoiceRows {

    private static final String UPSERT = """
            insert into billing_invoices as i (stripe_invoice_id, tenant_id, stripe_customer_id,
                stripe_subscription_id, number, status, currency, amount_due, amount_paid, amount_remaining,
                total, attempt_count, hosted_invoice_url, invoice_pdf, period_start, period_end,
                source_event_created, source_event_id)
            values (:id, :tenant, :customer, :subscription, :number, :status, :currency, :amountDue, :amountPaid,
                :amountRemaining, :total, :attemptCount, :hostedUrl, :pdf, :periodStart, :periodEnd,
                :eventCreated, :eventId)
            on conflict (stripe_invoice_id) do update set
                tenant_id = coalesce(i.tenant_id, excluded.tenant_id),
                stripe_customer_id = excluded.stripe_customer_id,
                stripe_subscription_id = excluded.stripe_subscription_id,
                number = excluded.number,
                status = excluded.status,
                currency = excluded.currency,
                amount_due = excluded.amount_due,
                amount_paid = excluded.amount_paid,
                amount_remaining = excluded.amount_remaining,
                total = excluded.total,
                attempt_count = excluded.attempt_count,
                hosted_invoice_url = excluded.hosted_invoice_url,
                invoice_pdf = excluded.invoice_pdf,
                period_start = excluded.period_start,
                period_end = excluded.period_end,
                source_event_created = excluded.source_event_created,
                source_event_id = excluded.source_event_id,
                updated_at = now()
            where i.source_event_created is null
                or i.source_event_created < excluded.source_event_created
                or (:refetched and i.source_event_created = excluded.source_event_created)
            returning i.tenant_id
            """;

    private final JdbcClient jdbc;

    InvoiceRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A row as written: the tenant it belongs to. */
    record Written(Optional<String> tenantId) {}

    /** Gives the invoices and charges of a customer that have no tenant the tenant (its link appeared). */
    void assignTenant(String customerId, String tenantId) {
        jdbc.sql("update billing_invoices set tenant_id = ?, updated_at = now()"
                        + " where stripe_customer_id = ? and tenant_id is null")
                .params(tenantId, customerId)
                .update();
        jdbc.sql("update billing_charges set tenant_id = ?, updated_at = now()"
                        + " where stripe_customer_id = ? and tenant_id is null")
                .params(tenantId, customerId)
                .update();
    }

    Optional<RowVersion> version(String invoiceId) {
        return RowVersion.find(jdbc, "billing_invoices", "stripe_invoice_id", invoiceId);
    }

    /**
     * @return the row's tenant when it changed (empty: a newer event already won); a stored row
     *     keeps its tenant, only one without a tenant takes {@code tenantId}
     */
    Optional<Written> upsert(String tenantId, InvoiceSnapshot i, StripeEvent event, boolean refetched) {
        List<Written> rows = jdbc.sql(UPSERT)
                .param("id", i.id())
                .param("tenant", tenantId)
                .param("customer", i.customerId())
                .param("subscription", i.subscriptionId())
                .param("number", i.number())
                .param("status", i.status())
                .param("currency", i.currency())
                .param("amountDue", i.amountDue())
                .param("amountPaid", i.amountPaid())
                .param("amountRemaining", i.amountRemaining())
                .param("total", i.total())
                .param("attemptCount", i.attemptCount())
                .param("hostedUrl", i.hostedInvoiceUrl())
                .param("pdf", i.invoicePdf())
                .param("periodStart", at(i.periodStart()))
                .param("periodEnd", at(i.periodEnd()))
                .param("eventCreated", at(event.created()))
                .param("eventId", event.id())
                .param("refetched", refetched)
                .query((rs, n) -> new Written(Optional.ofNullable(rs.getString(1))))
                .list();
        if (rows.size() > 1) {
            throw new IllegalStateException("upsert of invoice " + i.id() + " changed " + rows.size() + " rows");
        }
        return rows.stream().findFirst();
    }

    static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
