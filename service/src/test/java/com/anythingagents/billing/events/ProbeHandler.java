package com.anythingagents.billing.events;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * A test-only handler (scanned from test sources into every test context) for the made-up type
 * {@value #TYPE}: counts invocations per event and fails on demand, so pipeline tests need no
 * real billing handler.
 */
@Component
public class ProbeHandler implements StripeEventHandler {

    public static final String TYPE = "test.probe";

    private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();

    private final Map<String, String> failures = new ConcurrentHashMap<>();

    @Override
    public Set<String> eventTypes() {
        return Set.of(TYPE);
    }

    @Override
    public Optional<BillingChange> handle(StripeEvent event, Optional<String> tenantId) {
        invocations.computeIfAbsent(event.id(), id -> new AtomicInteger()).incrementAndGet();
        String failure = failures.get(event.id());
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        return Optional.empty();
    }

    public int invocations(String eventId) {
        return invocations.getOrDefault(eventId, new AtomicInteger()).get();
    }

    public void failWith(String eventId, String message) {
        failures.put(eventId, message);
    }

    public void succeed(String eventId) {
        failures.remove(eventId);
    }
}
