package com.anythingagents.billing.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.TemporarySessionExpiredException;
import com.stripe.model.v2.billing.MeterEventSession;
import com.stripe.net.RequestOptions;
import com.stripe.param.v2.billing.MeterEventStreamCreateParams;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The v2 meter event stream: high-throughput meter events authenticated by a meter event session
 * token, which Stripe issues for 15 minutes. The token is renewed a minute before it expires (as
 * measured on our clock from the lifetime Stripe gave it, so a skewed or emulated Stripe clock
 * does not matter), and once more when Stripe says it expired anyway.
 *
 * <p>No lock is held while Stripe answers: the thread that finds the token due for renewal creates
 * the next session and publishes it through a future, so at most one creation is in flight. Other
 * threads meanwhile keep sending with the current token while Stripe still takes it (the renewal
 * starts a minute early), and only wait on that future when there is none they could use.
 */
final class MeterEventStream {

    /** Stripe's limit per stream call. */
    static final int MAX_EVENTS_PER_CALL = 100;

    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(1);

    /** What Stripe documents, for a session that does not say. */
    static final Duration SESSION_LIFETIME = Duration.ofMinutes(15);

    private final StripeClient client;

    private final StripeCalls calls;

    private final Clock clock;

    private final Object lock = new Object();

    /** The current session; guarded by {@link #lock}. */
    private Session session;

    /** The session being created, while a creation is in flight; guarded by {@link #lock}. */
    private CompletableFuture<Session> creating;

    private record Session(String token, Instant renewAt, Instant expiresAt) {}

    MeterEventStream(StripeClient client, StripeCalls calls, Clock clock) {
        this.client = client;
        this.calls = calls;
        this.clock = clock;
    }

    /** Sends up to {@link #MAX_EVENTS_PER_CALL} events in one call. */
    void send(List<MeterEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        if (events.size() > MAX_EVENTS_PER_CALL) {
            throw new IllegalArgumentException(
                    "at most " + MAX_EVENTS_PER_CALL + " events per stream call (got " + events.size() + ")");
        }
        MeterEventStreamCreateParams.Builder params = MeterEventStreamCreateParams.builder();
        events.forEach(e -> params.addEvent(MeterEventStreamCreateParams.Event.builder()
                .setEventName(e.eventName())
                .setIdentifier(e.identifier())
                .setTimestamp(e.timestamp())
                .putPayload("stripe_customer_id", e.customerId())
                .putPayload("value", Long.toString(e.value()))
                .build()));
        MeterEventStreamCreateParams body = params.build();
        // the token of the last try: the one to forget if Stripe refuses it
        String[] sent = {token(null)};
        try {
            calls.run("v2.billing.meter_event_stream.create", () -> {
                try {
                    client.v2().billing().meterEventStream().create(body, options(sent[0]));
                } catch (TemporarySessionExpiredException expired) {
                    sent[0] = token(sent[0]);
                    client.v2().billing().meterEventStream().create(body, options(sent[0]));
                }
            });
        } catch (StripeFailure.Unauthorized ex) {
            forget(sent[0]); // a revoked or foreign token: the next call starts a new session
            throw ex;
        }
    }

    private static RequestOptions options(String token) {
        return RequestOptions.builder().setApiKey(token).build();
    }

    /**
     * A token to send with: the current one while it is fresh and not {@code stale} (the one Stripe
     * just called expired), or while another thread renews it and it has not expired; else the next
     * session's, created by exactly one thread at a time.
     */
    private String token(String stale) {
        CompletableFuture<Session> next;
        boolean mine = false;
        synchronized (lock) {
            Instant now = clock.instant();
            boolean current = session != null && !session.token().equals(stale);
            if (current && now.isBefore(session.renewAt())) {
                return session.token();
            }
            if (creating == null) {
                creating = new CompletableFuture<>();
                mine = true;
            } else if (current && now.isBefore(session.expiresAt())) {
                return session.token(); // another thread is renewing it; until then it still works
            }
            next = creating;
        }
        if (mine) {
            return startSession(next).token();
        }
        try {
            return next.join().token();
        } catch (CompletionException ex) {
            // the creating thread's failure is this call's failure too (a StripeFailure, usually)
            throw ex.getCause() instanceof RuntimeException cause ? cause : ex;
        }
    }

    /** Creates a session, outside the lock, and hands it (or the failure) to every waiting thread. */
    private Session startSession(CompletableFuture<Session> next) {
        try {
            Instant now = clock.instant();
            MeterEventSession created = create();
            if (created.getAuthenticationToken() == null) {
                // kept, it would break every later call; failed, the next caller starts another session
                throw new IllegalStateException("Stripe returned a meter event session without a token");
            }
            Duration lifetime = created.getCreated() != null && created.getExpiresAt() != null
                    ? Duration.between(created.getCreated(), created.getExpiresAt())
                    : SESSION_LIFETIME;
            Instant expiresAt = now.plus(lifetime);
            Session started =
                    new Session(created.getAuthenticationToken(), expiresAt.minus(RENEW_BEFORE_EXPIRY), expiresAt);
            synchronized (lock) {
                session = started;
                creating = null;
            }
            next.complete(started);
            return started;
        } catch (Throwable ex) { // NOPMD: waiters must never be left joined on a future nobody completes
            synchronized (lock) {
                creating = null; // the next caller tries again
            }
            next.completeExceptionally(ex);
            throw ex;
        }
    }

    /** Whether a session is being created right now (tests wait for this). */
    boolean sessionStarting() {
        synchronized (lock) {
            return creating != null;
        }
    }

    private MeterEventSession create() {
        MeterEventSession[] created = new MeterEventSession[1];
        calls.run(
                "v2.billing.meter_event_session.create",
                () -> created[0] = client.v2().billing().meterEventSession().create());
        return created[0];
    }

    private void forget(String token) {
        synchronized (lock) {
            if (session != null && session.token().equals(token)) {
                session = null;
            }
        }
    }
}
