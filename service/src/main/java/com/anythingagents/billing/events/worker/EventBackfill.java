package com.anythingagents.billing.events.worker;

import com.anythingagents.billing.events.Backfill;
import com.anythingagents.billing.events.EventInbox;
import com.anythingagents.billing.events.ReceivedEvent;
import com.anythingagents.billing.events.Replay;
import com.anythingagents.billing.events.store.StripeEventStore;
import com.anythingagents.billing.stripe.StripeGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
 * received, through the same inbox as webhooks, page by page (at most one page of payloads in
 * memory), then processes them oldest first.
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

    public Backfill sync(Instant since, boolean dryRun) {
        int[] seen = {0};
        int[] alreadyStored = {0};
        // newest first, as Stripe lists them; only ids and times are kept, never a page's payloads
        List<Backfill.Missing> missing = new ArrayList<>();
        stripe.eventPagesSince(since, page -> {
            // Stripe's JSON re-serialized: the list wraps each event, so there are no original bytes to keep
            List<ReceivedEvent> events = page.stream()
                    .map(node -> ReceivedEvent.parse(bytes(node), json))
                    .toList();
            Set<String> stored = new HashSet<>(
                    store.existing(events.stream().map(ReceivedEvent::id).toList()));
            seen[0] += events.size();
            alreadyStored[0] += stored.size();
            for (ReceivedEvent event : events) {
                if (!stored.contains(event.id()) && (dryRun || inbox.accept(event) == EventInbox.Acceptance.INSERTED)) {
                    missing.add(new Backfill.Missing(event.id(), event.type(), event.created()));
                }
            }
        });
        // oldest first; reversing Stripe's order first keeps events of one second in their real order
        Collections.reverse(missing);
        missing.sort(Comparator.comparing(Backfill.Missing::created));
        List<Replay> replays = dryRun
                ? List.of()
                : replayer.replay(missing.stream().map(Backfill.Missing::id).toList());
        return new Backfill(seen[0], alreadyStored[0], List.copyOf(missing), replays);
    }

    private byte[] bytes(JsonNode node) {
        return json.writeValueAsBytes(node);
    }
}
