package com.anythingagents.billing.webhook;

import com.anythingagents.billing.events.EventInbox;
import com.anythingagents.billing.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /webhooks/stripe}: the raw bytes, bounded, handed to the intake as they came. */
@RestController
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class WebhookController {

    /** Stripe events are a few KiB; 1 MiB leaves room for huge invoices without inviting abuse. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    static final String PATH = "/webhooks/stripe";

    static final String SIGNATURE_HEADER = "Stripe-Signature";

    private final EventIntake intake;

    WebhookController(EventIntake intake) {
        this.intake = intake;
    }

    @PostMapping(PATH)
    Map<String, String> receive(HttpServletRequest request) throws IOException {
        if (request.getHeader(SIGNATURE_HEADER) == null) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST, "missing_signature", "The Stripe-Signature header is missing");
        }
        byte[] body = readBounded(request);
        EventInbox.Acceptance acceptance = intake.receive(body, request.getHeader(SIGNATURE_HEADER));
        return Map.of("status", acceptance == EventInbox.Acceptance.INSERTED ? "received" : "duplicate");
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
