package com.anythingagents.billing.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe's {@code Stripe-Signature} header ({@code t=<unix>,v1=<hex>[,v1=<hex>]}): an HMAC-SHA256
 * of {@code t + "." + body} keyed by the whole {@code whsec_…} string. Any configured secret may
 * match (rotation). Unlike stripe-java, timestamps too far in the future are refused as well. The
 * header is bounded: at most {@value #MAX_HEADER_LENGTH} characters, one timestamp, and the first
 * {@value #MAX_SIGNATURES} {@code v1} signatures are compared (Stripe sends one per active secret).
 */
final class WebhookSignature {

    static final int MAX_HEADER_LENGTH = 4096;

    static final int MAX_SIGNATURES = 8;

    private static final String ALGORITHM = "HmacSHA256";

    private static final int DIGEST_HEX_LENGTH = 64;

    /** Up to year 5138 in seconds: anything longer is not a Unix time (and would overflow Instant). */
    private static final int MAX_TIMESTAMP_DIGITS = 11;

    private final List<SecretKeySpec> keys;

    private final Duration tolerance;

    WebhookSignature(List<String> secrets, Duration tolerance) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one webhook secret is needed");
        }
        this.keys = secrets.stream()
                .map(s -> new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), ALGORITHM))
                .toList();
        this.tolerance = tolerance;
    }

    /**
     * @return when Stripe signed the body
     * @throws SignatureRejected when the header is malformed, no secret matches or the time is off
     */
    Instant verify(byte[] body, String header, Instant now) {
        if (header == null || header.isBlank()) {
            throw new SignatureRejected("The Stripe-Signature header is missing");
        }
        if (header.length() > MAX_HEADER_LENGTH) {
            throw new SignatureRejected(
                    "The Stripe-Signature header is longer than " + MAX_HEADER_LENGTH + " characters");
        }
        long timestamp = -1;
        List<byte[]> signatures = new ArrayList<>(2);
        int start = 0;
        while (start <= header.length()) {
            int end = header.indexOf(',', start);
            if (end < 0) {
                end = header.length();
            }
            int eq = indexOf(header, '=', start, end);
            if (eq > start) {
                String key = header.substring(start, eq).strip();
                String value = header.substring(eq + 1, end).strip();
                if (key.equals("t")) {
                    if (timestamp >= 0) {
                        throw new SignatureRejected("The Stripe-Signature header has more than one timestamp");
                    }
                    timestamp = parseTimestamp(value);
                } else if (key.equals("v1") && signatures.size() < MAX_SIGNATURES) {
                    parseHex(value, signatures);
                }
            }
            start = end + 1;
        }
        if (timestamp < 0 || signatures.isEmpty()) {
            throw new SignatureRejected("The Stripe-Signature header has no timestamp or no v1 signature");
        }
        // the age first: it costs nothing, and a replayed old delivery needs no HMAC to be refused
        Instant signedAt = Instant.ofEpochSecond(timestamp);
        if (Duration.between(signedAt, now).abs().compareTo(tolerance) > 0) {
            throw new SignatureRejected("The signature timestamp is more than " + tolerance.toSeconds() + " seconds "
                    + (signedAt.isBefore(now) ? "old" : "in the future") + "; check the clocks");
        }
        if (!matchesAnySecret(timestamp, body, signatures)) {
            throw new SignatureRejected("No signature matches the payload with any configured webhook secret");
        }
        return signedAt;
    }

    private boolean matchesAnySecret(long timestamp, byte[] body, List<byte[]> signatures) {
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (SecretKeySpec key : keys) {
            byte[] expected = hmac(key, prefix, body);
            for (byte[] candidate : signatures) {
                // constant time, and no early exit that would tell which secret matched
                matched |= MessageDigest.isEqual(expected, candidate);
            }
        }
        return matched;
    }

    private static byte[] hmac(SecretKeySpec key, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
        }
    }

    private static int indexOf(String text, char wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static long parseTimestamp(String value) {
        if (value.isEmpty() || value.length() > MAX_TIMESTAMP_DIGITS) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(value);
    }

    private static void parseHex(String value, List<byte[]> signatures) {
        if (value.length() != DIGEST_HEX_LENGTH) {
            return;
        }
        try {
            signatures.add(HexFormat.of().parseHex(value));
        } catch (IllegalArgumentException ex) {
            // not hex: cannot match, ignore like any unknown scheme
        }
    }

    /** The request is not from Stripe (or not from now); the message is safe to return and to log. */
    static final class SignatureRejected extends RuntimeException {

        SignatureRejected(String message) {
            super(message, null, false, false);
        }
    }
}
