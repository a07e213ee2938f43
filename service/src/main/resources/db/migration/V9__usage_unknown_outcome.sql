-- When a send of the record may have reached Stripe without its answer reaching us (a timeout, a
-- 5xx, a dropped connection), the first such failure's time. Stripe deduplicates meter event
-- identifiers for at least 24 hours, not for the whole 35-day window: past that a resend could be
-- counted twice, so the outbox stops resending such a record before then and leaves it to an
-- operator (failed, saying so). Cleared when an operator re-queues it.
alter table usage_records add column unknown_since timestamptz;
