-- Intake keeps every event byte for byte as Stripe sent it (DESIGN §1.2): payload_raw holds exactly the
-- bytes received and signed; payload (jsonb) is a queryable copy derived from them, in which \u0000 and
-- unpaired surrogate escapes (valid JSON that jsonb refuses) read as the literal text "\u0000".
-- Null only for rows stored before this migration.
alter table stripe_events add column payload_raw bytea;

-- The tenant the event's metadata names: an unverified hint that anyone able to set metadata controls.
-- tenant_id is written by the worker only, once it has resolved the tenant, so a hint never shows up in
-- a tenant's ledger before it is checked.
alter table stripe_events add column tenant_hint text;

-- Rows the worker has not processed yet still carry the hint the old intake wrote as tenant_id.
update stripe_events set tenant_hint = tenant_id, tenant_id = null where status <> 'processed';
