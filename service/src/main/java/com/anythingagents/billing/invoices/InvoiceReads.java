package com.anythingagents.billing.invoices;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads {@code billing_invoices} for the API: newest first by the order the service first stored
 * them, with the row id as the keyset cursor (stable under inserts, unlike an offset).
 */
@Repository
class InvoiceReads {

    private final JdbcClient jdbc;

    InvoiceReads(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An invoice and the cursor that pages past it. */
    record Row(long id, InvoicesController.Invoice invoice) {}

    List<Row> page(String tenantId, Optional<Long> before, int limit) {
        return jdbc.sql("""
                        select id, stripe_invoice_id, number, status, currency, amount_due, amount_paid, total,
                            hosted_invoice_url, invoice_pdf, period_start, period_end, created_at
                        from billing_invoices
                        where tenant_id = :tenant and id < :before
                        order by id desc limit :limit""")
                .param("tenant", tenantId)
                .param("before", before.orElse(Long.MAX_VALUE))
                .param("limit", limit)
                .query((rs, n) -> new Row(
                        rs.getLong("id"),
                        new InvoicesController.Invoice(
                                rs.getString("stripe_invoice_id"),
                                rs.getString("number"),
                                rs.getString("status"),
                                rs.getString("currency"),
                                rs.getLong("amount_due"),
                                rs.getLong("amount_paid"),
                                rs.getLong("total"),
                                rs.getString("hosted_invoice_url"),
                                rs.getString("invoice_pdf"),
                                instant(rs.getObject("period_start", OffsetDateTime.class)),
                                instant(rs.getObject("period_end", OffsetDateTime.class)),
                                instant(rs.getObject("created_at", OffsetDateTime.class)))))
                .list();
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
