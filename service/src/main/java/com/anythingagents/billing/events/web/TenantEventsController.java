package com.anythingagents.billing.events.web;

import com.anythingagents.billing.events.EventFilter;
import com.anythingagents.billing.events.EventOperations;
import com.anythingagents.billing.security.Caller;
import com.anythingagents.billing.web.ApiException;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant's own Stripe event ledger, newest first, optionally of one status and type; any member of
 * the tenant may read it.
 */
@RestController
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class TenantEventsController {

    private final EventOperations events;

    TenantEventsController(EventOperations events) {
        this.events = events;
    }

    @GetMapping("/api/v1/billing/events")
    EventView.Page events(
            Caller caller,
            @RequestParam Optional<String> status,
            @RequestParam Optional<String> type,
            @RequestParam Optional<Long> before,
            @RequestParam(defaultValue = "" + AdminEventsController.DEFAULT_LIMIT) int limit) {
        String tenant = caller.requireTenant();
        if (limit < 1 || limit > EventFilter.MAX_LIMIT) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST, "bad_request", "limit must be between 1 and " + EventFilter.MAX_LIMIT);
        }
        EventFilter filter;
        try {
            filter = new EventFilter(
                    status.filter(s -> !s.isBlank() && !s.equalsIgnoreCase("all"))
                            .map(AdminEventsController::status),
                    type.filter(t -> !t.isBlank()),
                    Optional.of(tenant),
                    Optional.empty(),
                    before,
                    false,
                    limit);
        } catch (IllegalArgumentException ex) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "bad_request", ex.getMessage());
        }
        return EventView.Page.of(events.list(filter), limit, EventView::forTenant);
    }
}
