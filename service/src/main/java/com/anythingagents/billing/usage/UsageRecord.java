package com.anythingagents.billing.usage;

import java.time.Instant;

/** A stored usage record, as the API answers about it. */
record UsageRecord(
        long id, String featureKey, long quantity, Instant occurredAt, String idempotencyKey, UsageStatus status) {}
