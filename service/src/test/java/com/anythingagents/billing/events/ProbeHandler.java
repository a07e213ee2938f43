package com.anythingagents.billing.events;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * A test-only handler (scanned from test sources into every test context) for the made-up type
 * {@value #TYPE}: counts invocations per event, fails on demand (with an exception or an {@link
 * Error}), and runs a test's hook inside the worker's transaction, so pipeline tests need no real
 * billing handler. Its change goes to the activity ledger like a real one.
 */
@Component
public class ProbeHandler implements StripeEventHandler {

    public static final String TYPE = "test.probe";

    private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();

    private final Map<String, Supplier<? extends Throwable>> failures = new ConcurrentHashMap<>();

    private final Map<String, Runnable> hooks = new ConcurrentHashMap<>();

    private final Set<String> unchanged = ConcurrentHashMap.newKeySet();

    @Override
    public Set<String> eventTypes() {
        return Set.of(TYPE);
    }

    @Override
    public Optional<BillingChange> handle(StripeEvent event, EventContext context) {
        invocations.computeIfAbsent(event.id(), id -> new AtomicInteger()).incrementAndGet();
        Runnable hook = hooks.get(event.id());
        if (hook != null) {
            hook.run();
        }
        Supplier<? extends Throwable> failure = failures.get(event.id());
        if (failure != null) {
            sneakyThrow(failure.get());
        }
        if (unchanged.contains(event.id())) {
            return Optional.empty();
        }
        return Optional.of(BillingChange.of(context.tenant().orElse(null), "Probe " + event.id()));
    }

    public int invocations(String eventId) {
        return invocations.getOrDefault(eventId, new AtomicInteger()).get();
    }

    public void failWith(String eventId, String message) {
        failures.put(eventId, () -> new IllegalStateException(message));
    }

    /** Throws an {@link Error} (not an exception) for this event, as a broken library might. */
    public void failWithError(String eventId, String message) {
        failures.put(eventId, () -> new AssertionError(message));
    }

    public void succeed(String eventId) {
        failures.remove(eventId);
    }

    /** Handles the event without a change (as a handler does for a stale or irrelevant event). */
    public void changeNothing(String eventId) {
        unchanged.add(eventId);
    }

    /** Runs {@code hook} inside the worker's transaction each time the event is handled. */
    public void onHandle(String eventId, Runnable hook) {
        hooks.put(eventId, hook);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
