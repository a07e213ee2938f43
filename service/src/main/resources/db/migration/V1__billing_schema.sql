-- The billing data model (DESIGN §5). Postgres is the truth; Redis only fans out.

-- Every correctly signed Stripe event, stored before it is acknowledged.
create table stripe_events (
    id                bigint generated always as identity primary key,
    stripe_event_id   text        not null,
    event_type        text        not null,
    api_version       text,
    livemode          boolean     not null default false,
    stripe_created_at timestamptz not null,
    object_id         text,
    tenant_id         text,
    payload           jsonb       not null,
    status            text        not null default 'received'
        check (status in ('received', 'processed', 'failed')),
    attempts          integer     not null default 0,
    last_error        text,
    next_attempt_at   timestamptz not null default now(),
    locked_until      timestamptz,
    locked_by         text,
    received_at       timestamptz not null default now(),
    processed_at      timestamptz,
    constraint stripe_events_stripe_event_id_key unique (stripe_event_id)
);
-- The worker's claim query: due rows that are not yet processed.
create index stripe_events_due_idx on stripe_events (next_attempt_at) where status <> 'processed';
create index stripe_events_status_idx on stripe_events (status, next_attempt_at);
create index stripe_events_tenant_idx on stripe_events (tenant_id, id desc);
create index stripe_events_type_idx on stripe_events (event_type);
create index stripe_events_received_at_idx on stripe_events (received_at);

-- Tenant <-> Stripe customer, one each way.
create table billing_customers (
    tenant_id          text        primary key,
    stripe_customer_id text        not null unique,
    email              text,
    deleted            boolean     not null default false,
    source_event_created timestamptz,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);

-- One current subscription per tenant; rows only move forward in Stripe's event time.
create table billing_subscriptions (
    tenant_id              text        primary key,
    stripe_subscription_id text        not null unique,
    stripe_customer_id     text        not null,
    plan_code              text,
    stripe_price_id        text,
    status                 text        not null,
    quantity               integer     not null default 1 check (quantity >= 0),
    current_period_start   timestamptz,
    current_period_end     timestamptz,
    trial_end              timestamptz,
    cancel_at_period_end   boolean     not null default false,
    canceled_at            timestamptz,
    ended_at               timestamptz,
    source_event_created   timestamptz,
    created_at             timestamptz not null default now(),
    updated_at             timestamptz not null default now()
);

create table billing_invoices (
    id                     bigint generated always as identity primary key,
    stripe_invoice_id      text        not null unique,
    tenant_id              text,
    stripe_customer_id     text        not null,
    stripe_subscription_id text,
    number                 text,
    status                 text        not null,
    currency               text        not null,
    amount_due             bigint      not null default 0,
    amount_paid            bigint      not null default 0,
    amount_remaining       bigint      not null default 0,
    total                  bigint      not null default 0,
    attempt_count          integer     not null default 0,
    hosted_invoice_url     text,
    invoice_pdf            text,
    period_start           timestamptz,
    period_end             timestamptz,
    source_event_created   timestamptz,
    created_at             timestamptz not null default now(),
    updated_at             timestamptz not null default now()
);
create index billing_invoices_tenant_idx on billing_invoices (tenant_id, id desc);

create table billing_charges (
    id                 bigint generated always as identity primary key,
    stripe_charge_id   text        not null unique,
    tenant_id          text,
    stripe_customer_id text,
    stripe_invoice_id  text,
    status             text        not null,
    currency           text        not null,
    amount             bigint      not null,
    amount_refunded    bigint      not null default 0,
    failure_code       text,
    failure_message    text,
    source_event_created timestamptz,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create index billing_charges_tenant_idx on billing_charges (tenant_id, id desc);

-- Usage outbox: written first, reported to Stripe as a Billing Meter Event by a worker.
create table usage_records (
    id               bigint generated always as identity primary key,
    tenant_id        text        not null,
    feature_key      text        not null,
    quantity         bigint      not null check (quantity > 0),
    occurred_at      timestamptz not null,
    idempotency_key  text        not null,
    status           text        not null default 'pending'
        check (status in ('pending', 'reported', 'failed')),
    attempts         integer     not null default 0,
    last_error       text,
    next_attempt_at  timestamptz not null default now(),
    locked_until     timestamptz,
    reported_at      timestamptz,
    created_at       timestamptz not null default now(),
    constraint usage_records_tenant_key unique (tenant_id, idempotency_key)
);
create index usage_records_due_idx on usage_records (next_attempt_at) where status = 'pending';
create index usage_records_tenant_idx on usage_records (tenant_id, id desc);

-- Normalized billing activity; seq is the SSE event id clients resume from.
create table billing_activity (
    seq                    bigint generated always as identity primary key,
    tenant_id              text,
    event_type             text        not null,
    summary                text        not null,
    processing_status      text        not null,
    billing_status         text,
    stripe_event_id        text,
    stripe_subscription_id text,
    stripe_invoice_id      text,
    plan_code              text,
    amount                 bigint,
    currency               text,
    usage_quantity         bigint,
    occurred_at            timestamptz not null,
    created_at             timestamptz not null default now()
);
create index billing_activity_tenant_idx on billing_activity (tenant_id, seq);
create unique index billing_activity_event_idx on billing_activity (stripe_event_id) where stripe_event_id is not null;
