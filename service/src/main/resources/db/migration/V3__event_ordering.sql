-- Forward-only state (DESIGN §1.4): every applied event leaves its id beside its time, so a
-- redelivery of the very same event is told apart from a different event in the same second
-- (a tie, which is settled by re-fetching the object from Stripe).
alter table billing_customers add column source_event_id text;
alter table billing_subscriptions add column source_event_id text;
alter table billing_invoices add column source_event_id text;
alter table billing_charges add column source_event_id text;

-- When the subscription itself was created in Stripe: a tenant's newer subscription replaces the
-- older one's row, and late events about the older one never take the row back.
alter table billing_subscriptions add column subscription_created timestamptz;
