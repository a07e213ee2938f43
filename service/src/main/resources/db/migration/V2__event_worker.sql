-- The worker claims due events oldest Stripe time first: keep that order an index scan.
create index stripe_events_claim_order_idx on stripe_events (stripe_created_at, id) where status <> 'processed';
