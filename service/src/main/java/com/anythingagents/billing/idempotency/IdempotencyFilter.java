package com.anythingagents.billing.idempotency;

import com.anythingagents.billing.security.Caller;
import com.anythingagents.billing.security.TenantAccess;
import com.anythingagents.billing.stripe.StripeGateway;
import com.anythingagents.billing.web.ApiError;
import com.anythingagents.billing.web.ApiErrorWriter;
import com.anythingagents.billing.web.RedactedFailure;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Idempotency-Key} on the billing write routes, per tenant and shared by every instance
 * (Postgres): the same key with the same request answers the first response again (status and
 * body, with {@code Idempotent-Replayed: true}); with another request it is a 409
 * {@code idempotency_conflict}. While the first request runs, a repeat waits for its answer (up to
 * {@link #WAIT}, then 409 {@code operation_in_progress}). Answers that say "try again" (5xx, a
 * tenant busy with another operation) are not kept, so the retry runs again. Runs after
 * authentication; callers that may not write pass through to the route's own 401/403.
 * The usage route keeps its own keys in the usage outbox.
 */
final class IdempotencyFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);

    static final String HEADER = "Idempotency-Key";

    static final int MAX_KEY_LENGTH = 255;

    /** Larger bodies are not billing requests. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** The most Stripe calls one billing write makes (start and checkout: customer, live subscriptions, create). */
    static final int MAX_STRIPE_CALLS = 3;

    /**
     * Longer than a request runs (each Stripe call may take {@link StripeGateway#LONGEST_CALL} before
     * it fails, and the tenant's operation lease is sized the same way), so a live request is never
     * taken over; a dead one frees its key.
     */
    static final Duration LEASE =
            StripeGateway.LONGEST_CALL.multipliedBy(MAX_STRIPE_CALLS).plus(Duration.ofMinutes(2));

    static final Duration WAIT = Duration.ofSeconds(15);

    private static final Duration POLL = Duration.ofMillis(100);

    static final Set<String> ROUTES = Set.of(
            "/api/v1/billing/start",
            "/api/v1/billing/checkout",
            "/api/v1/billing/update",
            "/api/v1/billing/cancel",
            "/api/v1/billing/portal");

    private final IdempotencyKeys keys;

    private final ApiErrorWriter errors;

    private final JsonMapper json;

    private final Duration retention;

    private final Clock clock;

    IdempotencyFilter(IdempotencyKeys keys, ApiErrorWriter errors, JsonMapper json, Duration retention, Clock clock) {
        this.keys = keys;
        this.errors = errors;
        this.json = json;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !ROUTES.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        Optional<Caller> caller = TenantAccess.current();
        if (key == null || caller.isEmpty() || !TenantAccess.canWrite(caller.get())) {
            chain.doFilter(request, response);
            return;
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            errors.write(
                    response,
                    HttpStatus.BAD_REQUEST.value(),
                    new ApiError("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 characters"));
            return;
        }
        byte[] body = read(request);
        if (body == null) {
            errors.write(
                    response,
                    HttpStatus.CONTENT_TOO_LARGE.value(),
                    new ApiError("content_too_large", "The request body is over " + MAX_BODY_BYTES + " bytes"));
            return;
        }
        String tenant = caller.get().tenantId();
        String hash = RequestFingerprint.of(request.getRequestURI(), body, json);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Instant now = clock.instant();
            IdempotencyKeys.Held held = keys.take(tenant, key, hash, now, now.plus(LEASE), now.plus(retention));
            if (held instanceof IdempotencyKeys.Taken) {
                request.setAttribute(IdempotencyScope.ATTRIBUTE, IdempotencyScope.of(tenant, key, hash));
                run(new CachedBodyRequest(request, body), response, chain, tenant, key, hash);
                return;
            }
            if (held instanceof IdempotencyKeys.Completed completed) {
                replay(response, completed);
                return;
            }
            if (held instanceof IdempotencyKeys.Mismatch) {
                errors.write(
                        response,
                        HttpStatus.CONFLICT.value(),
                        new ApiError(
                                "idempotency_conflict",
                                "This Idempotency-Key was used for another request; use a new key for a new request"));
                return;
            }
            if (System.nanoTime() > deadline) {
                errors.write(
                        response,
                        HttpStatus.CONFLICT.value(),
                        new ApiError(
                                "operation_in_progress",
                                "A request with this Idempotency-Key is still running; retry shortly"));
                return;
            }
            LockSupport.parkNanos(POLL.toNanos()); // the first request is still running: wait for its answer
        }
    }

    /**
     * Runs the request and keeps its answer. The answer the route gave is what the client gets,
     * whatever happens to the key afterwards: once Stripe has acted, failing to store the answer
     * must not turn it into a 500 (the client would think nothing happened). Such a key is freed
     * instead (if the database lets us), and a retry under it runs again with the same Stripe
     * idempotency keys ({@link IdempotencyScope}), so Stripe does not act twice.
     */
    private void run(
            HttpServletRequest request,
            HttpServletResponse response,
            FilterChain chain,
            String tenant,
            String key,
            String hash)
            throws ServletException, IOException {
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, captured);
        } catch (ServletException | IOException | RuntimeException | Error failed) {
            release(tenant, key, hash).ifPresent(failed::addSuppressed);
            throw failed;
        }
        int status = captured.getStatus();
        String answer = new String(captured.getContentAsByteArray(), StandardCharsets.UTF_8);
        boolean kept = false;
        if (worthRepeating(status, answer)) {
            try {
                kept = keys.complete(tenant, key, hash, status, answer) == 1;
            } catch (RuntimeException ex) {
                log.warn(
                        "Could not keep the {} answer of an idempotent {} of tenant {}; a retry runs it again with"
                                + " the same Stripe idempotency keys",
                        status,
                        request.getRequestURI(),
                        tenant,
                        RedactedFailure.of(ex));
            }
        }
        if (!kept) {
            release(tenant, key, hash);
        }
        captured.copyBodyToResponse();
    }

    /** Frees the key; a failure is logged and returned, never thrown (the row's lease frees it later). */
    private Optional<RuntimeException> release(String tenant, String key, String hash) {
        try {
            keys.release(tenant, key, hash);
            return Optional.empty();
        } catch (RuntimeException ex) {
            log.warn(
                    "Could not free an Idempotency-Key of tenant {}; its retries wait until its lease of {} passes",
                    tenant,
                    LEASE,
                    RedactedFailure.of(ex));
            return Optional.of(ex);
        }
    }

    /** A final answer: success or the request's own fault. Not 5xx, nor "busy, try again". */
    private boolean worthRepeating(int status, String body) {
        if (status >= 500) {
            return false;
        }
        if (status == HttpStatus.CONFLICT.value()) {
            try {
                return !"operation_in_progress"
                        .equals(json.readTree(body).path("error").asString(""));
            } catch (JacksonException ex) {
                return true;
            }
        }
        return true;
    }

    private static void replay(HttpServletResponse response, IdempotencyKeys.Completed completed) throws IOException {
        response.setStatus(completed.status());
        response.setHeader("Idempotent-Replayed", "true");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        byte[] body = completed.body() == null ? new byte[0] : completed.body().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The body, or null when it is over {@link #MAX_BODY_BYTES}. */
    private static byte[] read(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            return body.length > MAX_BODY_BYTES ? null : body;
        }
    }
}
