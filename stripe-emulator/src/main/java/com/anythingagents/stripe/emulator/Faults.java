package com.anythingagents.stripe.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Injected faults: the next {@code count} matching calls get a status and/or extra latency. */
final class Faults {

    record Fault(String method, String pathPrefix, int status, long latencyMs) {}

    private static final class Armed {
        final Fault fault;
        int remaining;

        Armed(Fault fault, int remaining) {
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    private final List<Armed> armed = new ArrayList<>();

    synchronized void add(Fault fault, int count) {
        armed.add(new Armed(fault, count));
    }

    /** Consumes one use of the first fault matching this call, if any. */
    synchronized Optional<Fault> take(String method, String path) {
        for (Armed a : armed) {
            boolean methodMatches = a.fault.method() == null || a.fault.method().equalsIgnoreCase(method);
            if (methodMatches && path.startsWith(a.fault.pathPrefix()) && a.remaining > 0) {
                a.remaining--;
                return Optional.of(a.fault);
            }
        }
        return Optional.empty();
    }

    synchronized void clear() {
        armed.clear();
    }
}
