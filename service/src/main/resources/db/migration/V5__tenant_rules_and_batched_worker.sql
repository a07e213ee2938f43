-- Tenant mapping rules (docs/billing/stripe-runbook.md, "Tenants") and the batched worker.

-- billing_customers: one row per Stripe customer, for good. A customer never changes tenant; a
-- tenant may have had several customers over time (one deleted, a new one created), and its
-- current customer is its newest one (Stripe's created), so a late event of an older customer can
-- never point the tenant back at it.
alter table billing_customers drop constraint billing_customers_pkey;
alter table billing_customers add constraint billing_customers_pkey primary key (stripe_customer_id);
alter table billing_customers drop constraint billing_customers_stripe_customer_id_key;
-- Stripe's created of the customer; until a customer event tells it, the time of the event that
-- linked the customer (a customer cannot be created after an event that names it).
alter table billing_customers add column customer_created timestamptz;
-- What linked the customer to its tenant: 'service' (this service created it) or 'metadata'
-- (metadata.tenant_id on an object this service created).
alter table billing_customers add column linked_by text not null default 'metadata'
    check (linked_by in ('service', 'metadata'));
update billing_customers set customer_created = coalesce(source_event_created, created_at);
alter table billing_customers alter column customer_created set not null;
create index billing_customers_tenant_idx on billing_customers (tenant_id, customer_created desc);

-- stripe_events, written by the worker (the intake writes neither):
-- the Stripe customer of the event's object (set when the event is claimed), so two workers apply
-- one customer's events in order, and a customer's events can be found once its tenant is known;
alter table stripe_events add column customer_id text;
create index stripe_events_customer_pending_idx on stripe_events (customer_id, stripe_created_at, id)
    where status <> 'processed';
-- tenant evidence that disagreed with what the event was processed under, both values, for operators.
alter table stripe_events add column tenant_conflict text;
-- A customer's processed events that found no tenant: re-queued when the customer is linked.
create index stripe_events_tenantless_idx on stripe_events (customer_id)
    where tenant_id is null and customer_id is not null;
create index stripe_events_conflict_idx on stripe_events (id desc) where tenant_conflict is not null;

-- Claims never scan dead events (failed with no attempt left: next_attempt_at = 'infinity'): they
-- leave the claim indexes, and the claim query repeats the predicate so the planner can use them.
drop index stripe_events_claim_order_idx;
create index stripe_events_claim_order_idx on stripe_events (stripe_created_at, id)
    where status <> 'processed' and next_attempt_at < 'infinity';
drop index stripe_events_due_idx;
create index stripe_events_due_idx on stripe_events (next_attempt_at)
    where status <> 'processed' and next_attempt_at < 'infinity';
