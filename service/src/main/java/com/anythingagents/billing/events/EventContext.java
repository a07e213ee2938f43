package com.anythingagents.billing.events;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** What a handler knows besides the event: its tenant, and Stripe's current objects read for it. */
public interface EventContext {

    /** The tenant the event was resolved to (see the tenant rules in {@code customers}), if any. */
    Optional<String> tenant();

    /** Whether this very event linked its Stripe customer to the tenant. */
    boolean customerLinked();

    /**
     * The object as Stripe has it now, read before the transaction opened (never inside it); empty
     * when Stripe no longer knows it. Call it only for the object the handler {@link
     * StripeEventHandler#tracks tracks}: when it was not read yet, this throws an exception the
     * worker understands: it rolls the transaction back, reads the object and applies again.
     */
    Optional<JsonNode> current(StripeObjectRef object);

    /**
     * Records that tenant evidence disagreed with what the event is processed under (e.g. the
     * object's row belongs to another tenant); operators see it on the event, with a metric.
     */
    void flagConflict(String message);
}
