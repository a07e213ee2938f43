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

    private final Map<String, Set<Long>> held = new ConcurrentHashMap<>();

    private final Set<Long> lost = ConcurrentHashMap.newKeySet();

    void hold(String claim, List<ClaimedEvent> events) {
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        events.forEach(e -> ids.add(e.id()));
        held.put(claim, ids);
    }

    /** The event is no longer the claim's (processed, failed, given back or lost): not renewed any more. */
    void done(String claim, long id) {
        Set<Long> ids = held.get(claim);
        if (ids != null) {
            ids.remove(id);
        }
    }

    void release(String claim, List<ClaimedEvent> events) {
        held.remove(claim);
        events.forEach(e -> lost.remove(e.id()));
    }

    Collection<String> claims() {
        return List.copyOf(held.keySet());
    }

    List<Long> holding(String claim) {
        return List.copyOf(held.getOrDefault(claim, Set.of()));
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
