package com.anythingagents.billing.subscriptions;

import com.anythingagents.billing.idempotency.IdempotencyScope;
import com.anythingagents.billing.stripe.StripeFailure;
import com.anythingagents.billing.stripe.StripeGateway;
import com.anythingagents.billing.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * One Stripe-changing operation per tenant at a time ({@code billing_operations}), without holding
 * a lock or a transaction while Stripe answers: the reservation is a committed row with a lease.
 * A second operation of the tenant meanwhile gets 409 {@code operation_in_progress}.
 *
 * <p>When an operation ends without knowing what Stripe did (a timeout, a 5xx, or a crash before
 * its answer was recorded) its row stays with the lease released: the next operation of the tenant
 * takes it over with the same id, so its Stripe calls carry the same idempotency keys and Stripe
 * answers what it already did instead of doing it twice. Any other end deletes the row.
 */
@Component
class TenantOperations {

    private static final Logger log = LoggerFactory.getLogger(TenantOperations.class);

    /** The most Stripe calls one operation makes: start and checkout (customer, live subscriptions, create). */
    static final int MAX_STRIPE_CALLS = 3;

    /**
     * Longer than an operation can run, so a second operation of the tenant never starts while the
     * first may still be talking to Stripe: each of its calls may take {@link StripeGateway#LONGEST_CALL}
     * (every try timing out, with back-off) before it fails, plus a minute for the database work in
     * between. A crash frees the tenant after this.
     */
    static final Duration LEASE =
            StripeGateway.LONGEST_CALL.multipliedBy(MAX_STRIPE_CALLS).plus(Duration.ofMinutes(1));

    private final JdbcClient jdbc;

    private final Clock clock;

    TenantOperations(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Runs {@code work} as the tenant's one operation; 409 {@code operation_in_progress} when another runs. */
    <T> T run(String tenantId, String kind, Function<TenantOperation, T> work) {
        TenantOperation operation = reserve(tenantId, kind);
        T result;
        try {
            result = work.apply(operation);
        } catch (StripeFailure failure) {
            if (failure.outcomeUnknown()) {
                release(operation);
            } else {
                finish(operation);
            }
            throw failure;
        } catch (ApiException refused) {
            finish(operation); // refused on our side, or Stripe's definite answer: nothing left half-done
            throw refused;
        } catch (RuntimeException | Error unexpected) {
            release(operation); // Stripe may have answered before this failed (e.g. recording it)
            throw unexpected;
        }
        finish(operation);
        return result;
    }

    private TenantOperation reserve(String tenantId, String kind) {
        Instant now = clock.instant();
        return jdbc.sql("""
                        insert into billing_operations as o (tenant_id, operation_id, kind, started_at, lease_until)
                        values (:tenant, :id, :kind, :now, :until)
                        on conflict (tenant_id) do update set kind = excluded.kind, started_at = excluded.started_at,
                            lease_until = excluded.lease_until
                        where o.lease_until < :now
                        returning operation_id""")
                .param("tenant", tenantId)
                .param("id", newOperationId())
                .param("kind", kind)
                .param("now", time(now))
                .param("until", time(now.plus(LEASE)))
                .query(String.class)
                .optional()
                .map(id -> new TenantOperation(tenantId, id, kind))
                .orElseThrow(() -> new ApiException(
                        HttpStatus.CONFLICT,
                        "operation_in_progress",
                        "Another billing change of this tenant is in progress; retry when it has finished"));
    }

    /**
     * Under an Idempotency-Key, the id the key's request always gets: a client's retry then carries
     * the same Stripe idempotency keys as the first try, so Stripe answers what it already did even
     * when the first answer was lost (not stored, not delivered) after the operation had ended. A
     * row left by an operation with an unknown outcome keeps its own id (see the class comment).
     */
    private static String newOperationId() {
        return "op_"
                + IdempotencyScope.current()
                        .orElseGet(() -> UUID.randomUUID().toString().replace("-", ""));
    }

    private void finish(TenantOperation operation) {
        jdbc.sql("delete from billing_operations where tenant_id = ? and operation_id = ?")
                .params(operation.tenantId(), operation.operationId())
                .update();
    }

    private void release(TenantOperation operation) {
        int rows = jdbc.sql("""
                        update billing_operations set lease_until = ?
                        where tenant_id = ? and operation_id = ?""")
                .params(time(clock.instant()), operation.tenantId(), operation.operationId())
                .update();
        log.info(
                "Operation {} of tenant {} ended without a known outcome; the next one repeats its Stripe calls"
                        + " ({} row)",
                operation.kind(),
                operation.tenantId(),
                rows);
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
