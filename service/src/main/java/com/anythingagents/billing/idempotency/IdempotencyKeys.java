package com.anythingagents.billing.idempotency;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code api_idempotency_keys}: per tenant, the request a key was first used for and, once it
 * finished, its response. Every statement commits on its own: a key is taken before the request
 * runs and completed after, never holding a transaction across the request.
 */
@Repository
class IdempotencyKeys {

    /** Takes that may find the key released under them before one reports it as running. */
    static final int TAKE_ATTEMPTS = 3;

    private final JdbcClient jdbc;

    IdempotencyKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What a key holds for a tenant. */
    sealed interface Held {}

    /** The key is this request's now: run it. */
    record Taken() implements Held {}

    /** The same request ran under the key and ended with this response. */
    record Completed(int status, String body) implements Held {}

    /** The same request is running under the key (another instance or thread). */
    record Running() implements Held {}

    /** The key was used for another request. */
    record Mismatch() implements Held {}

    /**
     * Takes the key for a request with {@code hash}, unless it holds another request, a completed
     * one, or a running one whose lease has not passed (a request that died lets its retry in).
     */
    Held take(String tenantId, String key, String hash, Instant now, Instant leaseUntil, Instant expiresAt) {
        for (int attempt = 0; attempt < TAKE_ATTEMPTS; attempt++) {
            if (insertOrTakeOver(tenantId, key, hash, now, leaseUntil, expiresAt)) {
                return new Taken();
            }
            Optional<Held> held = find(tenantId, key, hash);
            if (held.isPresent()) {
                return held.get();
            }
            // the row that stopped the insert was released (deleted) before we read it: the key is
            // free again, so take it; "taken" without a row would let the request run unguarded
        }
        return new Running(); // freed and taken again under us each time: the caller polls, as for a running one
    }

    /** Whether the statement took the key: inserted it, or took over an expired or abandoned one. */
    private boolean insertOrTakeOver(
            String tenantId, String key, String hash, Instant now, Instant leaseUntil, Instant expiresAt) {
        return jdbc.sql("""
                        insert into api_idempotency_keys as k (tenant_id, idempotency_key, request_hash, status,
                            locked_until, created_at, expires_at)
                        values (:tenant, :key, :hash, 'in_progress', :until, :now, :expires)
                        on conflict (tenant_id, idempotency_key) do update set
                            request_hash = excluded.request_hash, status = 'in_progress',
                            response_status = null, response_body = null, locked_until = excluded.locked_until,
                            created_at = excluded.created_at, expires_at = excluded.expires_at
                        where k.expires_at < :now
                            or (k.status = 'in_progress' and k.locked_until < :now
                                and k.request_hash = excluded.request_hash)
                        returning 1""")
                .param("tenant", tenantId)
                .param("key", key)
                .param("hash", hash)
                .param("until", time(leaseUntil))
                .param("now", time(now))
                .param("expires", time(expiresAt))
                .query(Integer.class)
                .optional()
                .isPresent();
    }

    /** What the key holds for a request with {@code hash}; empty when the key is free again. */
    Optional<Held> find(String tenantId, String key, String hash) {
        return jdbc.sql("""
                        select request_hash, status, response_status, response_body from api_idempotency_keys
                        where tenant_id = ? and idempotency_key = ?""")
                .params(tenantId, key)
                .query((rs, n) -> {
                    if (!rs.getString("request_hash").equals(hash)) {
                        return (Held) new Mismatch();
                    }
                    return "completed".equals(rs.getString("status"))
                            ? new Completed(rs.getInt("response_status"), rs.getString("response_body"))
                            : new Running();
                })
                .optional();
    }

    int complete(String tenantId, String key, String hash, int status, String body) {
        return jdbc.sql("""
                        update api_idempotency_keys set status = 'completed', response_status = ?, response_body = ?,
                            locked_until = null
                        where tenant_id = ? and idempotency_key = ? and request_hash = ? and status = 'in_progress'""").params(status, body, tenantId, key, hash).update();
    }

    /** Frees the key: the request ended without an answer worth repeating (a 5xx, a busy tenant). */
    int release(String tenantId, String key, String hash) {
        return jdbc.sql("""
                        delete from api_idempotency_keys
                        where tenant_id = ? and idempotency_key = ? and request_hash = ? and status = 'in_progress'""").params(tenantId, key, hash).update();
    }

    /** Deletes up to {@code limit} keys past their retention. */
    int deleteExpired(Instant now, int limit) {
        return jdbc.sql("""
                        delete from api_idempotency_keys where ctid in (
                            select ctid from api_idempotency_keys where expires_at < ? limit ?)""").params(time(now), limit).update();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
