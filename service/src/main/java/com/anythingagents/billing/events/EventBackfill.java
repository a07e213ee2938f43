package com.anythingagents.billing.events;

import com.anythingagents.billing.stripe.StripeGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fetches the events Stripe has since a time (Events API, 30 days) and stores the ones we never
 * received, through the same inbox as webhooks, then processes them oldest first.
 */
@Component
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
public class EventBackfill {

    private final StripeGateway stripe;

    private final StripeEventStore store;

    private final EventInbox inbox;

    private final EventReplayer replayer;

    private final JsonMapper json;

    EventBackfill(
            StripeGateway stripe, StripeEventStore store, EventInbox inbox, EventReplayer replayer, JsonMapper json) {
        this.stripe = stripe;
        this.store = store;
        this.inbox = inbox;
        this.replayer = replayer;
        this.json = json;
    }

    /**
     * @param missing the events that were (or, in a dry run, would be) inserted, oldest first
     * @param replays how processing them went; empty in a dry run
     */
    public record Result(
            int seen, int alreadyStored, List<ReceivedEvent> missing, List<EventReplayer.Replay> replays) {}

    public Result sync(Instant since, boolean dryRun) {
        List<ReceivedEvent> fetched = new ArrayList<>();
        // Stripe's JSON re-serialized: the list wraps each event, so there are no original bytes to keep
        stripe.eventsSince(since, node -> fetched.add(ReceivedEvent.parse(bytes(node), json)));
        // Stripe lists newest first; oldest first keeps events of one second in their real order
        java.util.Collections.reverse(fetched);
        Set<String> stored = new HashSet<>();
        for (int from = 0; from < fetched.size(); from += EventFilter.MAX_LIMIT) {
            List<String> ids = fetched.subList(from, Math.min(fetched.size(), from + EventFilter.MAX_LIMIT)).stream()
                    .map(ReceivedEvent::id)
                    .toList();
            stored.addAll(store.existing(ids));
        }
        List<ReceivedEvent> missing = fetched.stream()
                .filter(e -> !stored.contains(e.id()))
                .sorted(Comparator.comparing(ReceivedEvent::created))
                .toList();
        if (dryRun) {
            return new Result(fetched.size(), stored.size(), missing, List.of());
        }
        List<String> inserted = missing.stream()
                .filter(e -> inbox.accept(e) == EventInbox.Acceptance.INSERTED)
                .map(ReceivedEvent::id)
                .toList();
        return new Result(fetched.size(), stored.size(), missing, replayer.replay(inserted));
    }

    private byte[] bytes(JsonNode node) {
        return json.writeValueAsBytes(node);
    }
}
