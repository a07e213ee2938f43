package com.anythingagents.billing.invoices;

import com.anythingagents.billing.events.TenantLinkListener;
import org.springframework.stereotype.Component;

/** A customer was linked to a tenant: its invoices and charges stored without a tenant get it. */
@Component
class InvoiceTenantFill implements TenantLinkListener {

    private final InvoiceRows invoices;

    InvoiceTenantFill(InvoiceRows invoices) {
        this.invoices = invoices;
    }

    @Override
    public void customerLinked(String stripeCustomerId, String tenantId) {
        invoices.assignTenant(stripeCustomerId, tenantId);
    }
}
