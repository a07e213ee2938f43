package com.anythingagents.billing.webhook;

import com.anythingagents.billing.config.StripeSettings;
import com.anythingagents.billing.events.EventInbox;
import com.anythingagents.billing.events.MalformedEventException;
import com.anythingagents.billing.events.ReceivedEvent;
import com.anythingagents.billing.web.ApiException;
import java.sql.SQLException;
import java.time.Clock;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies, parses and stores one webhook delivery. Answers only once the row is committed; a
 * database that cannot be reached is a 503 so Stripe retries. Never logs the header or a secret.
 */
class EventIntake {

    private final WebhookSignature signature;

    private final boolean livemode;

    private final EventInbox inbox;

    private final JsonMapper json;

    private final WebhookMetrics metrics;

    private final Clock clock;

    EventIntake(StripeSettings stripe, EventInbox inbox, JsonMapper json, WebhookMetrics metrics, Clock clock) {
        this.signature = new WebhookSignature(stripe.webhookSecrets(), stripe.webhookTolerance());
        this.livemode = stripe.livemode();
        this.inbox = inbox;
        this.json = json;
        this.metrics = metrics;
        this.clock = clock;
    }

    EventInbox.Acceptance receive(byte[] body, String signatureHeader) {
        try {
            signature.verify(body, signatureHeader, clock.instant());
        } catch (WebhookSignature.SignatureRejected ex) {
            metrics.count(WebhookMetrics.Result.INVALID_SIGNATURE);
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_signature", ex.getMessage());
        }
        ReceivedEvent event;
        try {
            event = ReceivedEvent.parse(body, json);
        } catch (MalformedEventException ex) {
            metrics.count(WebhookMetrics.Result.REJECTED);
            throw new ApiException(HttpStatus.BAD_REQUEST, "malformed_event", ex.getMessage());
        }
        if (event.livemode() != livemode) {
            metrics.count(WebhookMetrics.Result.REJECTED);
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
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
            if (!databaseUnavailable(ex)) {
                throw ex;
            }
            metrics.count(WebhookMetrics.Result.UNAVAILABLE);
            throw new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "database_unavailable",
                    "The event could not be stored right now; Stripe will deliver it again");
        }
    }

    static boolean databaseUnavailable(DataAccessException ex) {
        if (ex instanceof DataAccessResourceFailureException
                || ex instanceof TransientDataAccessResourceException
                || ex instanceof QueryTimeoutException) {
            return true;
        }
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            // SQLState class 08: connection exception; 57P0x: the server is shutting down or starting
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
        }
        return false;
    }

    private static String mode(boolean live) {
        return live ? "live-mode" : "test-mode";
    }
}
