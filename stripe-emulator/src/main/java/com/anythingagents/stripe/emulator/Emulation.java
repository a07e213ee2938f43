package com.anythingagents.stripe.emulator;

import java.util.function.Supplier;

/** What every resource needs: the state, the emulator's clock, the event log and its own URL. */
record Emulation(Store store, EmulatorClock clock, Events events, Supplier<String> baseUrl) {

    long now() {
        return clock.epochSecond();
    }
}
