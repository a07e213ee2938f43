-- The billing API: the usage outbox's delivery columns, request idempotency and per-tenant
-- operation reservations (no Stripe call runs inside a transaction or under a lock: a write
-- reserves here, commits, calls Stripe, then records Stripe's answer).

-- Usage is reported to the customer and meter it was recorded for, even if the mapping or the
-- configuration changes before the outbox delivers it. locked_by makes a lease checkable.
alter table usage_records add column stripe_customer_id text;
alter table usage_records add column meter_event_name text;
alter table usage_records add column locked_by text;
-- The worker claims due pending rows oldest first.
drop index usage_records_due_idx;
create index usage_records_due_idx on usage_records (next_attempt_at, id) where status = 'pending';
-- Usage totals of a tenant over a period (GET /api/v1/billing/usage).
create index usage_records_tenant_time_idx on usage_records (tenant_id, occurred_at);

-- Idempotency-Key of the write routes, per tenant: the first response is kept (status and body)
-- and answered again for the same key and request; another request under the key is a conflict.
-- A row 'in_progress' whose lease passed belongs to a request that died: a retry takes it over.
create table api_idempotency_keys (
    tenant_id        text        not null,
    idempotency_key  text        not null,
    request_hash     text        not null,
    status           text        not null check (status in ('in_progress', 'completed')),
    response_status  integer,
    response_body    text,
    locked_until     timestamptz,
    created_at       timestamptz not null,
    expires_at       timestamptz not null,
    primary key (tenant_id, idempotency_key)
);
create index api_idempotency_keys_expires_idx on api_idempotency_keys (expires_at);

-- At most one Stripe-changing operation (start, checkout, update, cancel) per tenant at a time.
-- operation_id names the Stripe idempotency keys of the operation's calls: an operation that ended
-- without a definite answer from Stripe (timeout, 5xx) keeps its row with the lease released, so
-- the next operation of the tenant reuses the id and Stripe replays what it may already have done.
create table billing_operations (
    tenant_id     text        primary key,
    operation_id  text        not null,
    kind          text        not null,
    started_at    timestamptz not null,
    lease_until   timestamptz not null
);
