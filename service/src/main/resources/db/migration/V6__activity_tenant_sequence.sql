-- The live stream's resume point: a per-tenant activity sequence allocated under a row lock.
--
-- The identity column cannot be the SSE id. Identities are handed out when a row is inserted, not
-- when its transaction commits: with two writers, seq 11 may commit (and be streamed) before
-- seq 10, and a client that saw 11 and resumes with Last-Event-ID: 11 would never get 10.
--
-- billing_activity_cursor holds the last sequence of each tenant. A writer bumps it with an upsert
-- in the transaction that inserts the activity row, so it holds the cursor row's lock until it
-- commits or rolls back; the next writer of that tenant waits for it and then reads the committed
-- value. Hence, per tenant, sequence order is commit order: once n is visible, every n' < n of that
-- tenant was committed before it (or rolled back, and then n' was handed out again). "seq > last
-- seen" from Postgres never skips a row that commits later. Rows without a tenant are not streamed
-- and get no sequence.
alter table billing_activity rename column seq to id;
alter table billing_activity add column seq bigint;

create table billing_activity_cursor (
    tenant_id text   primary key,
    last_seq  bigint not null check (last_seq > 0)
);

update billing_activity a
   set seq = numbered.seq
  from (select id, row_number() over (partition by tenant_id order by id) as seq
          from billing_activity
         where tenant_id is not null) numbered
 where a.id = numbered.id;

insert into billing_activity_cursor (tenant_id, last_seq)
select tenant_id, max(seq) from billing_activity where tenant_id is not null group by tenant_id;

alter table billing_activity
    add constraint billing_activity_seq_with_tenant check ((tenant_id is null) = (seq is null));
drop index billing_activity_tenant_idx;
create unique index billing_activity_tenant_seq_idx on billing_activity (tenant_id, seq);
