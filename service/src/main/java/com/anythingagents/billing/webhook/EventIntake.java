package com.anythingagents.billing.webhook;

import com.anythingagents.billing.config.StripeSettings;
import com.anythingagents.billing.events.EventInbox;
import com.anythingagents.billing.events.MalformedEventException;
import com.anythingagents.billing.events.ReceivedEvent;
import com.anythingagents.billing.events.SqlStates;
import com.anythingagents.billing.web.ApiException;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpStatus;

/**
 * Verifies, parses and stores one webhook delivery. Answers only once the row is committed; a
 * database that cannot be reached is a 503 so Stripe retries. Every refusal is a 400 with a clear
 * message, a metric and one short log line naming only the outcome: never the header, a secret or
 * any part of the body.
 */
class EventIntake {

    private static final Logger log = LoggerFactory.getLogger(EventIntake.class);

    private final WebhookSignature signature;

    private final boolean livemode;

    private final EventInbox inbox;

    private final WebhookMetrics metrics;

    private final Clock clock;

    EventIntake(StripeSettings stripe, EventInbox inbox, WebhookMetrics metrics, Clock clock) {
        this.signature = new WebhookSignature(stripe.webhookSecrets(), stripe.webhookTolerance());
        this.livemode = stripe.livemode();
        this.inbox = inbox;
        this.metrics = metrics;
        this.clock = clock;
    }

    EventInbox.Acceptance receive(byte[] body, String signatureHeader) {
        Instant now = clock.instant();
        try {
            signature.verify(body, signatureHeader, now);
        } catch (WebhookSignature.SignatureRejected ex) {
            metrics.count(WebhookMetrics.Result.INVALID_SIGNATURE);
            log.info("Webhook refused: 400 invalid_signature");
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_signature", ex.getMessage());
        }
        ReceivedEvent event;
        try {
            event = ReceivedEvent.parse(body, now);
        } catch (MalformedEventException ex) {
            throw refused(ex.reason().tag(), "malformed_event", ex.getMessage());
        }
        if (event.livemode() != livemode) {
            throw refused(
                    "livemode_mismatch",
                    "livemode_mismatch",
                    "Event " + event.id() + " is a " + mode(event.livemode()) + " event but this service runs with a "
                            + mode(livemode) + " key; point the " + mode(event.livemode())
                            + " webhook endpoint at the matching service");
        }
        try {
            EventInbox.Acceptance acceptance = inbox.accept(event);
            metrics.count(
                    event.type(),
                    acceptance == EventInbox.Acceptance.INSERTED
                            ? WebhookMetrics.Result.RECEIVED
                            : WebhookMetrics.Result.DUPLICATE);
            return acceptance;
        } catch (DataAccessException ex) {
            if (databaseUnavailable(ex)) {
                metrics.count(WebhookMetrics.Result.UNAVAILABLE);
                log.warn(
                        "Webhook refused: 503 database_unavailable{}",
                        SqlStates.of(ex).map(s -> " (SQLState " + s + ")").orElse(""));
                throw new ApiException(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "database_unavailable",
                        "The event could not be stored right now; Stripe will deliver it again");
            }
            if (SqlStates.refusedAsData(ex)) {
                // the parser should have refused it already; PostgreSQL is the last word on what it stores
                throw refused(
                        "database_refused",
                        "malformed_event",
                        "PostgreSQL refused to store the event as JSON (SQLState "
                                + SqlStates.of(ex).orElseThrow() + ")");
            }
            throw ex;
        }
    }

    private ApiException refused(String reason, String error, String message) {
        metrics.rejected(reason);
        log.warn("Webhook refused: 400 {} ({})", error, reason);
        return new ApiException(HttpStatus.BAD_REQUEST, error, message);
    }

    static boolean databaseUnavailable(DataAccessException ex) {
        if (ex instanceof DataAccessResourceFailureException
                || ex instanceof TransientDataAccessResourceException
                || ex instanceof QueryTimeoutException) {
            return true;
        }
        // SQLState class 08: connection exception; 57P0x: the server is shutting down or starting;
        // 53: insufficient resources (disk full, out of memory, too many connections); 25006: a
        // read-only server (a standby after a failover); 57014: statement timeout; 40001/40P01:
        // serialization failure, deadlock. Each is the database's state, not the event's: 503, Stripe retries
        return SqlStates.of(ex)
                .filter(s -> s.startsWith("08")
                        || s.startsWith("57P0")
                        || s.startsWith("53")
                        || s.equals("25006")
                        || s.equals("57014")
                        || s.equals("40001")
                        || s.equals("40P01"))
                .isPresent();
    }

    private static String mode(boolean live) {
        return live ? "live-mode" : "test-mode";
    }
}
