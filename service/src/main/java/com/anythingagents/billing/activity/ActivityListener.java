package com.anythingagents.billing.activity;

import java.util.List;

/**
 * Told about activity items once the transaction that wrote them has committed (never before, never
 * for a rollback): the live stream's hook. Called on the writer's thread (often the event worker's),
 * so an implementation must return at once and never throw: hand the items over, do not do I/O.
 */
public interface ActivityListener {

    /** @param entries the items one transaction committed, in sequence order per tenant */
    void committed(List<ActivityEntry> entries);
}
