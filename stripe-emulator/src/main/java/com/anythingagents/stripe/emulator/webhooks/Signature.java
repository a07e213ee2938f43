package com.anythingagents.stripe.emulator.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Stripe's {@code Stripe-Signature} header: {@code t=<unix>,v1=<hex HMAC-SHA256("t.payload")>}. */
final class Signature {

    private Signature() {}

    /** Keyed by the whole {@code whsec_…} string, exactly as Stripe (and its SDKs) do. */
    static String header(String secret, long unixSeconds, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
            byte[] digest = mac.doFinal(payload);
            return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
