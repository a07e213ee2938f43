package com.anythingagents.billing.webhook;

import com.anythingagents.billing.events.EventInbox;
import com.anythingagents.billing.web.ApiErrorWriter;
import com.anythingagents.billing.web.ApiException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * {@code POST /webhooks/stripe}: the raw bytes, bounded, handed to the intake as they came. A plain
 * servlet rather than a controller: Spring MVC's mapping, argument and message conversion were about
 * half of the CPU of a webhook request, for a route that takes bytes and answers one of two bodies.
 */
class WebhookServlet extends HttpServlet {

    /** Stripe events are a few KiB; 1 MiB leaves room for huge invoices without inviting abuse. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    static final String PATH = "/webhooks/stripe";

    static final String SIGNATURE_HEADER = "Stripe-Signature";

    private static final byte[] RECEIVED = "{\"status\":\"received\"}".getBytes(StandardCharsets.UTF_8);

    private static final byte[] DUPLICATE = "{\"status\":\"duplicate\"}".getBytes(StandardCharsets.UTF_8);

    private final transient EventIntake intake;

    private final transient ApiErrorWriter errors;

    WebhookServlet(EventIntake intake, ApiErrorWriter errors) {
        this.intake = intake;
        this.errors = errors;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        EventInbox.Acceptance acceptance;
        try {
            String signature = request.getHeader(SIGNATURE_HEADER);
            if (signature == null) {
                throw new ApiException(
                        HttpStatus.BAD_REQUEST, "missing_signature", "The Stripe-Signature header is missing");
            }
            acceptance = intake.receive(readBounded(request), signature);
        } catch (ApiException ex) {
            errors.write(response, ex);
            return;
        }
        byte[] body = acceptance == EventInbox.Acceptance.INSERTED ? RECEIVED : DUPLICATE;
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static byte[] readBounded(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        // the declared length may be absent (chunked) or wrong: bound the read itself too
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return body;
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(
                HttpStatus.CONTENT_TOO_LARGE,
                "payload_too_large",
                "The body is larger than " + MAX_BODY_BYTES + " bytes; Stripe events are far smaller");
    }
}
