package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Stripe cursor pagination over an already filtered list, newest first. */
final class ListPage {

    private ListPage() {}

    /** {@code oldestFirst} is reversed here because Stripe lists newest objects first. */
    static ObjectNode of(ApiRequest request, List<ObjectNode> oldestFirst, String url) {
        List<ObjectNode> rows = new java.util.ArrayList<>(oldestFirst);
        java.util.Collections.reverse(rows);
        long limit = request.integer("limit").orElse(10L);
        if (limit < 1 || limit > 100) {
            throw StripeException.invalid("limit", "This value must be between 1 and 100.");
        }
        int from = 0;
        int to = rows.size();
        var startingAfter = request.string("starting_after");
        var endingBefore = request.string("ending_before");
        if (startingAfter.isPresent()) {
            from = indexOf(rows, startingAfter.get(), "starting_after") + 1;
        } else if (endingBefore.isPresent()) {
            to = indexOf(rows, endingBefore.get(), "ending_before");
            from = (int) Math.max(0, to - limit);
        }
        int end = (int) Math.min(to, from + limit);
        ArrayNode data = StripeJson.array();
        rows.subList(from, end).forEach(r -> data.add(r.deepCopy()));
        boolean hasMore = endingBefore.isPresent() && startingAfter.isEmpty() ? from > 0 : end < to;
        return StripeJson.list(url, data, hasMore);
    }

    private static int indexOf(List<ObjectNode> rows, String id, String param) {
        for (int i = 0; i < rows.size(); i++) {
            if (id.equals(rows.get(i).path("id").asString())) {
                return i;
            }
        }
        throw StripeException.invalid(param, "No such object: '" + id + "'");
    }
}
