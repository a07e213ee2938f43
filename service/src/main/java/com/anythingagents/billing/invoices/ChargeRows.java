package com.anythingagents.billing.invoices;

import static com.anythingagents.billing.invoices.InvoiceRows.at;

import com.anythingagents.billing.events.RowVersion;
import com.anythingagents.billing.events.StripeEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code billing_charges}, one row per Stripe charge, written only forward in event time. */
@Repository
class ChargeRows {

    private static final String UPSERT = """
            insert into billing_charges as c (stripe_charge_id, tenant_id, stripe_customer_id, stripe_invoice_id,
                status, currency, amount, amount_refunded, failure_code, failure_message,
                source_event_created, source_event_id)
            values (:id, :tenant, :customer, :invoice, :status, :currency, :amount, :refunded, :failureCode,
                :failureMessage, :eventCreated, :eventId)
            on conflict (stripe_charge_id) do update set
                tenant_id = coalesce(c.tenant_id, excluded.tenant_id),
                stripe_customer_id = excluded.stripe_customer_id,
                stripe_invoice_id = coalesce(excluded.stripe_invoice_id, c.stripe_invoice_id),
                status = excluded.status,
                currency = excluded.currency,
                amount = excluded.amount,
                amount_refunded = excluded.amount_refunded,
                failure_code = excluded.failure_code,
                failure_message = excluded.failure_message,
                source_event_created = excluded.source_event_created,
                source_event_id = excluded.source_event_id,
                updated_at = now()
            where c.source_event_created is null
                or c.source_event_created < excluded.source_event_created
                or (:refetched and c.source_event_created = excluded.source_event_created)
            returning c.tenant_id
            """;

    private final JdbcClient jdbc;

    ChargeRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<RowVersion> version(String chargeId) {
        return RowVersion.find(jdbc, "billing_charges", "stripe_charge_id", chargeId);
    }

    /**
     * @return the row's tenant when it changed (empty: a newer event already won); a stored row
     *     keeps its tenant, only one without a tenant takes {@code tenantId}
     */
    Optional<InvoiceRows.Written> upsert(String tenantId, ChargeSnapshot c, StripeEvent event, boolean refetched) {
        List<InvoiceRows.Written> rows = jdbc.sql(UPSERT)
                .param("id", c.id())
                .param("tenant", tenantId)
                .param("customer", c.customerId())
                .param("invoice", c.invoiceId().orElse(null))
                .param("status", c.status())
                .param("currency", c.currency())
                .param("amount", c.amount())
                .param("refunded", c.amountRefunded())
                .param("failureCode", c.failureCode())
                .param("failureMessage", c.failureMessage())
                .param("eventCreated", at(event.created()))
                .param("eventId", event.id())
                .param("refetched", refetched)
                .query((rs, n) -> new InvoiceRows.Written(Optional.ofNullable(rs.getString(1))))
                .list();
        if (rows.size() > 1) {
            throw new IllegalStateException("upsert of charge " + c.id() + " changed " + rows.size() + " rows");
        }
        return rows.stream().findFirst();
    }

    /**
     * Why the customer's latest payment in {@code (from, to]} failed, e.g. {@code card_declined}.
     * Invoices no longer name their charge (API 2025-03-31.basil), so a failed invoice payment is
     * explained by the customer's failed charge of that attempt window, when it arrived first.
     */
    Optional<String> latestFailureCode(String customerId, Instant from, Instant to) {
        return jdbc.sql("""
                        select failure_code from billing_charges
                        where stripe_customer_id = ? and status = 'failed' and failure_code is not null
                          and source_event_created > ? and source_event_created <= ?
                        order by source_event_created desc limit 1
                        """)
                .params(customerId, at(from), at(to))
                .query(String.class)
                .optional();
    }
}
