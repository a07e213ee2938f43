package com.anythingagents.billing.events.web;

import com.anythingagents.billing.events.EventFilter;
import com.anythingagents.billing.events.EventOperations;
import com.anythingagents.billing.events.EventStatus;
import com.anythingagents.billing.events.Replay;
import com.anythingagents.billing.events.Since;
import com.anythingagents.billing.events.StoredEvent;
import com.anythingagents.billing.security.Caller;
import com.anythingagents.billing.security.Role;
import com.anythingagents.billing.web.ApiException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Operators' view of stored Stripe events: list, show (with payload), replay. Role operator only. */
@RestController
class AdminEventsController {

    static final int DEFAULT_LIMIT = 50;

    private final EventOperations events;

    private final JsonMapper json;

    private final Clock clock;

    AdminEventsController(EventOperations events, JsonMapper json, Clock clock) {
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping("/api/v1/admin/stripe-events")
    EventView.Page list(
            Caller caller,
            @RequestParam Optional<String> status,
            @RequestParam Optional<String> type,
            @RequestParam Optional<String> tenant,
            @RequestParam Optional<String> since,
            @RequestParam Optional<Long> before,
            @RequestParam(defaultValue = "false") boolean conflicts,
            @RequestParam(defaultValue = "" + DEFAULT_LIMIT) int limit) {
        caller.requireAnyRole(Role.OPERATOR);
        EventFilter filter;
        try {
            filter = new EventFilter(
                    status.filter(s -> !s.equalsIgnoreCase("all")).map(AdminEventsController::status),
                    type,
                    tenant,
                    since.map(s -> Since.parse(s, clock.instant())),
                    before,
                    conflicts,
                    limit);
        } catch (IllegalArgumentException ex) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "bad_request", ex.getMessage());
        }
        return EventView.Page.of(events.list(filter), limit, e -> EventView.forOperator(e, null));
    }

    @GetMapping("/api/v1/admin/stripe-events/{eventId}")
    EventView show(Caller caller, @PathVariable String eventId) {
        caller.requireAnyRole(Role.OPERATOR);
        StoredEvent event = events.find(eventId).orElseThrow(() -> notFound(eventId));
        return EventView.forOperator(event, event.payload().map(json::readTree).orElse(null));
    }

    @PostMapping("/api/v1/admin/stripe-events/{eventId}/replay")
    EventView replay(Caller caller, @PathVariable String eventId) {
        caller.requireAnyRole(Role.OPERATOR);
        Replay replay = events.replay(eventId);
        if (replay instanceof Replay.Unknown) {
            throw notFound(eventId);
        }
        if (replay instanceof Replay.Busy) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "event_busy",
                    "A worker is processing " + eventId + " right now; retry in a moment");
        }
        return EventView.forOperator(events.find(eventId).orElseThrow(() -> notFound(eventId)), null);
    }

    static EventStatus status(String value) {
        try {
            return EventStatus.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("status must be received, processed, failed or all");
        }
    }

    private static ApiException notFound(String eventId) {
        return new ApiException(
                HttpStatus.NOT_FOUND, "not_found", "No stored Stripe event " + eventId, Map.of("event_id", eventId));
    }
}
