package com.anythingagents.billing.stream;

import com.anythingagents.billing.activity.BillingActivity;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.security.Caller;
import com.anythingagents.billing.web.ApiError;
import com.anythingagents.billing.web.ApiErrorWriter;
import com.anythingagents.billing.web.ApiException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/billing/stream}: a tenant's billing activity as server-sent events (frames in
 * {@link SseFrames}). The stream starts after {@code Last-Event-ID} (a reconnecting browser sends it,
 * and it wins), else after {@code ?since=}, else at the newest item; what lies between that position
 * and now is replayed from Postgres first. Refusals happen before the stream starts and are JSON:
 * 404 stream off, 503 no Redis configured or database down, 429 too many streams for the tenant.
 * The request thread returns at once: the stream is an async request written without blocking.
 */
@RestController
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class StreamController {

    private static final Logger log = LoggerFactory.getLogger(StreamController.class);

    private final ObjectProvider<StreamHub> hubs;

    private final BillingActivity activity;

    private final ServiceSettings settings;

    private final ApiErrorWriter errors;

    private final Clock clock;

    StreamController(
            ObjectProvider<StreamHub> hubs,
            BillingActivity activity,
            ServiceSettings settings,
            ApiErrorWriter errors,
            Clock clock) {
        this.hubs = hubs;
        this.activity = activity;
        this.settings = settings;
        this.errors = errors;
        this.clock = clock;
    }

    @GetMapping("/api/v1/billing/stream")
    void stream(
            Caller caller,
            @RequestParam Optional<String> tenant,
            @RequestParam Optional<String> since,
            @RequestHeader(name = "Last-Event-ID", required = false) Optional<String> lastEventId,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        // Refusals are written here, as JSON whatever the Accept header: an EventSource asks for
        // text/event-stream only, and content negotiation would turn every envelope into a bare 406.
        try {
            start(caller, tenant, since, lastEventId, request, response);
        } catch (ApiException ex) {
            errors.write(response, ex);
        } catch (AccessDeniedException ex) {
            errors.write(response, HttpStatus.FORBIDDEN.value(), new ApiError("forbidden", ex.getMessage()));
        }
    }

    private void start(
            Caller caller,
            Optional<String> tenant,
            Optional<String> since,
            Optional<String> lastEventId,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        StreamHub hub = hubs.getIfAvailable();
        if (hub == null) {
            throw new ApiException(
                    HttpStatus.NOT_FOUND,
                    "stream_disabled",
                    "The live billing stream is off on this service (ENABLE_BILLING_STREAM=false)");
        }
        String tenantId = caller.tenantToRead(tenant);
        Optional<String> resumeFrom = lastEventId.filter(id -> !id.isBlank());
        OptionalLong position = resumeFrom.isPresent()
                ? position("Last-Event-ID", resumeFrom.get())
                : since.map(value -> position("since", value)).orElse(OptionalLong.empty());
        if (!hub.available()) {
            throw new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "stream_unavailable",
                    "The live billing stream needs Redis, and none is configured: set REDIS_URL"
                            + " (or BILLING_EVENTS_REDIS_URL)");
        }
        long latest = latestSeq(tenantId);
        // an id from the future (another database, a reset one) starts at the newest item instead
        long start = Math.min(position.orElse(latest), latest);
        StreamHub.Reservation reservation = hub.reserve(tenantId);
        if (reservation != StreamHub.Reservation.RESERVED) {
            boolean tenantFull = reservation == StreamHub.Reservation.TENANT_FULL;
            response.setHeader("Retry-After", String.valueOf(SseFrames.RETRY.toSeconds()));
            throw new ApiException(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "too_many_streams",
                    tenantFull
                            ? "This tenant already has the most live streams one instance serves"
                            : "This instance already serves the most live streams it may",
                    Map.of(
                            "limit",
                            tenantFull
                                    ? settings.stream().maxClientsPerTenant()
                                    : settings.stream().maxClients()));
        }
        open(hub, tenantId, start, request, response);
    }

    private void open(
            StreamHub hub, String tenantId, long start, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        SseClient client = null;
        try {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("text/event-stream");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("X-Accel-Buffering", "no"); // proxies must not buffer the stream
            // committed here, through the security filters' wrappers (their headers go out now), and
            // before any other thread may write
            response.flushBuffer();
            AsyncContext async = request.startAsync();
            async.setTimeout(untilTokenExpires());
            ServletOutputStream out = unwrap(response).getOutputStream();
            client =
                    new SseClient(tenantId, start, async, out, settings.stream().clientBufferBytes(), hub);
            // The order is safe for a client that leaves at once: the container delivers async events
            // (error, timeout, complete) and the first onWritePossible only after this thread returns,
            // so the listener registered here hears every end of the connection; frames the hub queues
            // meanwhile wait in the client until it is writable (none is lost); and a failure of any
            // step below closes the attached client, which unregisters it (catch block).
            hub.attach(client);
            async.addListener(client);
            out.setWriteListener(client); // from here on, writes never block: see SseClient
        } catch (IOException | RuntimeException ex) {
            if (client == null) {
                hub.unreserve(tenantId);
            } else {
                client.close(SseClient.CloseReason.GONE);
            }
            if (ex instanceof RuntimeException runtime) {
                if (!response.isCommitted()) {
                    throw runtime;
                }
                log.warn("Could not start a live stream after its headers were sent", runtime);
            }
            // an IOException: the client went away while the stream was being set up
        }
    }

    private long latestSeq(String tenantId) {
        try {
            return activity.latestSeqs(List.of(tenantId)).get(tenantId);
        } catch (DataAccessException ex) {
            throw new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE, "database_unavailable", "The billing database is not reachable");
        }
    }

    private static OptionalLong position(String name, String value) {
        try {
            long seq = Long.parseLong(value.strip());
            if (seq >= 0) {
                return OptionalLong.of(seq);
            }
        } catch (NumberFormatException ex) {
            // answered below
        }
        throw new ApiException(
                HttpStatus.BAD_REQUEST, "bad_request", name + " must be an activity id (a whole number, 0 or more)");
    }

    /** A stream ends when its token does, so a revoked or expired token does not stream forever. */
    private long untilTokenExpires() {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token) {
            Instant expires = token.getToken().getExpiresAt();
            if (expires != null) {
                return Math.max(1, Duration.between(clock.instant(), expires).toMillis());
            }
        }
        return 0; // no expiry: no timeout
    }

    /** The container's own response, below the wrappers of filters that only act on commit. */
    private static ServletResponse unwrap(ServletResponse response) {
        ServletResponse current = response;
        while (current instanceof ServletResponseWrapper wrapper) {
            current = wrapper.getResponse();
        }
        return current;
    }
}
