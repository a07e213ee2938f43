package com.anythingagents.billing.webhook;

import com.anythingagents.billing.events.EventInbox;
import com.anythingagents.billing.web.ApiErrorWriter;
import com.anythingagents.billing.web.ApiException;
import com.anythingagents.billing.web.RedactedFailure;
import com.anythingagents.billing.web.RequestBodies;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * {@code POST /webhooks/stripe}: the raw bytes, bounded, handed to the intake as they came. A plain
 * servlet rather than a controller: Spring MVC's mapping, argument and message conversion were about
 * half of the CPU of a webhook request, for a route that takes bytes and answers one of two bodies.
 * The body is read by {@link RequestBodies}: at once when it came with the headers, else
 * asynchronously, so a slow sender never holds a request thread.
 */
class WebhookServlet extends HttpServlet {

    static final int MAX_BODY_BYTES = RequestBodies.MAX_BYTES;

    static final String PATH = "/webhooks/stripe";

    static final String SIGNATURE_HEADER = "Stripe-Signature";

    private static final Logger log = LoggerFactory.getLogger(WebhookServlet.class);

    private static final byte[] RECEIVED = "{\"status\":\"received\"}".getBytes(StandardCharsets.UTF_8);

    private static final byte[] DUPLICATE = "{\"status\":\"duplicate\"}".getBytes(StandardCharsets.UTF_8);

    private final transient EventIntake intake;

    private final transient RequestBodies bodies;

    private final transient ApiErrorWriter errors;

    private final transient WebhookMetrics metrics;

    WebhookServlet(EventIntake intake, RequestBodies bodies, ApiErrorWriter errors, WebhookMetrics metrics) {
        this.intake = intake;
        this.bodies = bodies;
        this.errors = errors;
        this.metrics = metrics;
    }

    /**
     * Every method but POST is a 405, answered once any body has been read (asynchronously, like
     * a delivery's): a response written over an unread body would make Tomcat drain it with
     * blocking reads, a thread held for as long as the sender trickles.
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if ("POST".equals(request.getMethod())) {
            doPost(request, response);
            return;
        }
        RequestBodies.BodyHandler notAllowed = (body, async) -> {
            response.setHeader("Allow", "POST");
            errors.write(
                    response,
                    new ApiException(
                            HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "Stripe delivers events with POST"));
            if (async != null) {
                async.complete();
            }
        };
        if (RequestBodies.hasBody(request)) {
            bodies.read(request, response, notAllowed);
        } else {
            notAllowed.body(new byte[0], null);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        String signature = request.getHeader(SIGNATURE_HEADER);
        if (signature == null) {
            // refused before reading a byte of the body (a 400 closes the connection: nothing is drained)
            metrics.count(WebhookMetrics.Result.INVALID_SIGNATURE);
            log.info("Webhook refused: 400 missing_signature");
            errors.write(
                    response,
                    new ApiException(
                            HttpStatus.BAD_REQUEST, "missing_signature", "The Stripe-Signature header is missing"));
            return;
        }
        bodies.read(request, response, new Delivery(response, signature));
    }

    private void answer(HttpServletResponse response, String signature, byte[] body) throws IOException {
        EventInbox.Acceptance acceptance;
        try {
            acceptance = intake.receive(body, signature);
        } catch (ApiException ex) {
            errors.write(response, ex);
            return;
        } catch (RuntimeException ex) {
            // a bug: no input may cause a 500, and the log names classes and SQL states only
            metrics.count(WebhookMetrics.Result.ERROR);
            log.error("Webhook intake failed", RedactedFailure.of(ex));
            errors.write(
                    response,
                    new ApiException(
                            HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "An unexpected error occurred"));
            return;
        }
        byte[] answer = acceptance == EventInbox.Acceptance.INSERTED ? RECEIVED : DUPLICATE;
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(answer.length);
        response.getOutputStream().write(answer);
    }

    /** One delivery's body, now or once it has arrived. */
    private final class Delivery implements RequestBodies.BodyHandler {

        private final HttpServletResponse response;

        private final String signature;

        Delivery(HttpServletResponse response, String signature) {
            this.response = response;
            this.signature = signature;
        }

        @Override
        public void body(byte[] body, AsyncContext async) throws IOException {
            try {
                answer(response, signature, body);
            } finally {
                if (async != null) {
                    async.complete();
                }
            }
        }

        @Override
        public void refused(RequestBodies.Refusal refusal) {
            WebhookMetrics.Result result = switch (refusal) {
                case TOO_LARGE -> WebhookMetrics.Result.TOO_LARGE;
                case TIMED_OUT -> WebhookMetrics.Result.TIMED_OUT;
                case BUSY -> WebhookMetrics.Result.BUSY;
                case CLIENT_GONE -> WebhookMetrics.Result.ABORTED;
            };
            metrics.count(result);
            // stalled and abandoned bodies are what a slow-sender attack is made of: counted, and
            // logged at debug only, so that an attacker cannot flood the log
            if (refusal == RequestBodies.Refusal.TIMED_OUT || refusal == RequestBodies.Refusal.CLIENT_GONE) {
                log.debug("Webhook body refused: {}", result.tag());
            } else {
                log.info("Webhook body refused: {}", result.tag());
            }
        }
    }
}
