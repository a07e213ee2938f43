package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.events.store.ClaimedEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claims this instance is working on, shared by the worker threads and the heartbeat: which
 * rows each holds, and which of them another worker took over.
 */
final class HeldClaims {

    private final Map<String, List<Long>> held = new ConcurrentHashMap<>();

    private final Set<Long> lost = ConcurrentHashMap.newKeySet();

    void hold(String claim, List<ClaimedEvent> events) {
        held.put(claim, events.stream().map(ClaimedEvent::id).toList());
    }

    void release(String claim) {
        List<Long> ids = held.remove(claim);
        if (ids != null) {
            lost.removeAll(ids);
        }
    }

    Collection<String> claims() {
        return List.copyOf(held.keySet());
    }

    List<Long> holding(String claim) {
        return held.getOrDefault(claim, List.of());
    }

    /** Marks rows of a claim as taken over (ignored once the claim is released). */
    void lost(String claim, Collection<Long> ids) {
        if (held.containsKey(claim)) {
            lost.addAll(ids);
        }
    }

    boolean lost(long id) {
        return lost.contains(id);
    }
}
