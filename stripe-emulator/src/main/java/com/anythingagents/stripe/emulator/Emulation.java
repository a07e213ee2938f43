package com.anythingagents.stripe.emulator;

import java.util.function.Supplier;

/**
 * What every resource needs: the state, the emulator's clock, the event log, its own URL and the
 * saver that persists changes.
 */
record Emulation(Store store, EmulatorClock clock, Events events, Supplier<String> baseUrl, StateSaver saver) {

    long now() {
        return clock.epochSecond();
    }

    /** Runs a change under the store lock and schedules a save of the state file. */
    <T> T write(Supplier<T> change) {
        return store.locked(() -> {
            try {
                return change.get();
            } finally {
                saver.markDirty();
            }
        });
    }

    <T> T read(Supplier<T> query) {
        return store.locked(query);
    }
}
