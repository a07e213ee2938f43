package com.anythingagents.stripe.emulator;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET /v1/events} with {@code created[gte|gt|lte|lt]}, {@code type}, {@code types[]}. */
final class EventsApi {

    private final Emulation emu;

    EventsApi(Emulation emu) {
        this.emu = emu;
    }

    void register(Router router) {
        router.route("GET", "/v1/events", this::list)
                .route("GET", "/v1/events/{id}", r -> emu.store().require("event", r.pathParam("id")));
    }

    private ObjectNode list(ApiRequest request) {
        List<String> types = request.list("types");
        Optional<String> type = request.string("type");
        List<ObjectNode> rows = emu.store().all("event").stream()
                .filter(e -> types.isEmpty() || types.stream().anyMatch(t -> typeMatches(t, e)))
                .filter(e -> type.map(t -> typeMatches(t, e)).orElse(true))
                .filter(e -> createdMatches(request, e.get("created").asLong()))
                .toList();
        return ListPage.of(request, rows, "/v1/events");
    }

    /** Stripe allows one trailing wildcard, e.g. {@code invoice.*}. */
    private static boolean typeMatches(String pattern, ObjectNode event) {
        String type = event.get("type").asString();
        return pattern.endsWith("*")
                ? type.startsWith(pattern.substring(0, pattern.length() - 1))
                : type.equals(pattern);
    }

    private static boolean createdMatches(ApiRequest request, long created) {
        JsonNode filter = request.params().get("created");
        if (filter == null) {
            return true;
        }
        if (filter.isValueNode()) {
            return created == ApiRequest.parseLong("created", filter.asString());
        }
        return bound(filter, "gte", v -> created >= v)
                && bound(filter, "gt", v -> created > v)
                && bound(filter, "lte", v -> created <= v)
                && bound(filter, "lt", v -> created < v);
    }

    private static boolean bound(JsonNode filter, String op, java.util.function.LongPredicate test) {
        JsonNode value = filter.get(op);
        return value == null || test.test(ApiRequest.parseLong("created[" + op + "]", value.asString()));
    }
}
