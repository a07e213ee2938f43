package com.anythingagents.billing.local;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/** The in-process emulator's clock, for a service whose Stripe it is. */
public final class LocalStripeTime {

    private LocalStripeTime() {}

    /** The clock of local mode's emulator when it serves {@code apiBase}; empty for any other Stripe. */
    public static Optional<Clock> clockOf(Optional<URI> apiBase) {
        return LocalMode.emulator()
                .filter(e ->
                        apiBase.map(base -> base.toString().equals(e.baseUrl())).orElse(false))
                .map(e -> new Clock() {
                    @Override
                    public ZoneId getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(ZoneId zone) {
                        throw new UnsupportedOperationException("the emulator clock is always UTC");
                    }

                    @Override
                    public Instant instant() {
                        return e.now();
                    }
                });
    }
}
