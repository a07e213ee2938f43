package com.anythingagents.billing.local;

import com.anythingagents.billing.EmulatorControl;
import com.anythingagents.stripe.emulator.StripeEmulator;
import java.util.Map;

/**
 * A Stripe emulator of a test's own, with local mode's catalogue (plans {@code starter} and
 * {@code pro}, the {@code agent_run} meter and its metered price), for service processes a test
 * starts. Webhooks go nowhere.
 */
public final class OwnStripe implements AutoCloseable {

    private final LocalStripe stripe;

    private final Map<String, String> settings;

    private OwnStripe(LocalStripe stripe) {
        this.stripe = stripe;
        this.settings = Map.copyOf(stripe.settings("http://127.0.0.1:9/webhooks/stripe"));
    }

    public static OwnStripe start() {
        return new OwnStripe(LocalStripe.start(0, null));
    }

    /** The service's variables for this emulator: STRIPE_*, BILLING_USAGE_METERS, BILLING_RETURN_URL. */
    public Map<String, String> settings() {
        return settings;
    }

    public StripeEmulator emulator() {
        return stripe.emulator();
    }

    public EmulatorControl control() {
        return new EmulatorControl(stripe.emulator());
    }

    @Override
    public void close() {
        stripe.close();
    }
}
