package com.anythingagents.billing.invoices;

import com.anythingagents.billing.events.EventContext;
import com.anythingagents.billing.events.Freshness;
import com.anythingagents.billing.events.RowVersion;
import com.anythingagents.billing.events.StripeEvent;
import com.anythingagents.billing.events.StripeObjectRef;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * How invoices and charges are written: the payload when the event is newer than the row (one
 * statement), Stripe's current object when it ties with the row's event (read before the
 * transaction; the payload if Stripe no longer knows it), nothing when it is older or the same.
 * A stored row keeps its tenant: evidence for another one is flagged.
 */
final class ForwardOnly {

    private ForwardOnly() {}

    /** Writes a snapshot; {@code refetched} allows a write of the same second as the row's event. */
    @FunctionalInterface
    interface Upsert<S> {
        Optional<InvoiceRows.Written> write(S snapshot, boolean refetched);
    }

    /** What was written and the tenant the row belongs to. */
    record Written<S>(S snapshot, Optional<String> tenantId) {}

    static <S> Optional<Written<S>> write(
            StripeEvent event,
            EventContext context,
            S payload,
            StripeObjectRef object,
            Upsert<S> upsert,
            Supplier<Optional<RowVersion>> version,
            Function<JsonNode, S> fromStripe) {
        S snapshot = payload;
        Optional<InvoiceRows.Written> written = upsert.write(payload, false);
        if (written.isEmpty()) {
            // the version is read only when the one-statement write changed nothing
            if (Freshness.of(version.get(), event) != Freshness.TIE) {
                return Optional.empty();
            }
            snapshot = context.current(object).map(fromStripe).orElse(payload);
            written = upsert.write(snapshot, true);
            if (written.isEmpty()) {
                return Optional.empty();
            }
        }
        Optional<String> owner = written.get().tenantId();
        Optional<String> tenant = context.tenant();
        if (owner.isPresent() && tenant.isPresent() && !owner.get().equals(tenant.get())) {
            context.flagConflict(object.type().name().toLowerCase(java.util.Locale.ROOT) + " " + object.id()
                    + " is stored for tenant " + owner.get() + "; not moved to " + tenant.get());
        }
        return Optional.of(new Written<>(snapshot, owner));
    }
}
