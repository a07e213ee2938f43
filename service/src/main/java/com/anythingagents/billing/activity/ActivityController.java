package com.anythingagents.billing.activity;

import com.anythingagents.billing.security.Caller;
import com.anythingagents.billing.web.ApiException;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant's activity history, newest first, page by page: what a dashboard shows before it opens
 * the live stream with {@code ?since=} the newest {@code seq} it got here.
 */
@RestController
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class ActivityController {

    static final int DEFAULT_LIMIT = 50;

    static final int MAX_LIMIT = 200;

    private final ActivityLog log;

    ActivityController(ActivityLog log) {
        this.log = log;
    }

    @GetMapping("/api/v1/billing/activity")
    Page activity(
            Caller caller,
            @RequestParam Optional<String> tenant,
            @RequestParam Optional<Long> before,
            @RequestParam(defaultValue = "" + DEFAULT_LIMIT) int limit) {
        String tenantId = caller.tenantToRead(tenant);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "bad_request", "limit must be between 1 and " + MAX_LIMIT);
        }
        List<ActivityEntry> page = log.before(tenantId, before, limit);
        Long nextBefore = page.size() == limit ? page.get(page.size() - 1).seq() : null;
        return new Page(page, nextBefore);
    }

    /** @param nextBefore the {@code before} of the next (older) page; null on the last page */
    record Page(List<ActivityEntry> activity, Long nextBefore) {}
}
