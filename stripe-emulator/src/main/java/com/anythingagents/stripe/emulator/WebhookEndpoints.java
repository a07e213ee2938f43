package com.anythingagents.stripe.emulator;

import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /v1/webhook_endpoints}; like Stripe, the {@code secret} is only returned on create. */
final class WebhookEndpoints {

    private final Emulation emu;

    WebhookEndpoints(Emulation emu) {
        this.emu = emu;
    }

    void register(Router router) {
        router.route("POST", "/v1/webhook_endpoints", this::create)
                .route(
                        "GET",
                        "/v1/webhook_endpoints",
                        r -> ListPage.of(r, emu.store().all("webhook_endpoint"), "/v1/webhook_endpoints"))
                .route(
                        "GET",
                        "/v1/webhook_endpoints/{id}",
                        r -> emu.store().require("webhook_endpoint", r.pathParam("id")))
                .route("POST", "/v1/webhook_endpoints/{id}", this::update)
                .route("DELETE", "/v1/webhook_endpoints/{id}", this::delete);
    }

    private ObjectNode create(ApiRequest request) {
        ObjectNode created =
                add(request.requireString("url"), enabledEvents(request).orElse(List.of("*")));
        Metadata.copyStrings(created, request, "description");
        Metadata.apply(created, request);
        ObjectNode response = created.deepCopy();
        response.put("secret", secretOf(created.get("id").asString()));
        return response;
    }

    ObjectNode add(String url, List<String> events) {
        ObjectNode ep = StripeJson.object();
        String id = Ids.next("we");
        ep.put("id", id);
        ep.put("object", "webhook_endpoint");
        ep.put("api_version", Events.API_VERSION);
        ep.putNull("application");
        ep.put("created", emu.now());
        ep.putNull("description");
        ArrayNode enabled = ep.putArray("enabled_events");
        events.forEach(enabled::add);
        ep.put("livemode", false);
        ep.putObject("metadata");
        ep.put("status", "enabled");
        ep.put("url", url);
        emu.store().put(ep);
        ObjectNode secret = StripeJson.object();
        secret.put("secret", "whsec_" + Ids.random(32));
        emu.store().put("_endpoint_secret", id, secret);
        return ep;
    }

    String secretOf(String endpointId) {
        return emu.store().require("_endpoint_secret", endpointId).get("secret").asString();
    }

    private static java.util.Optional<List<String>> enabledEvents(ApiRequest request) {
        List<String> events = request.list("enabled_events");
        return events.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(events);
    }

    private ObjectNode update(ApiRequest request) {
        ObjectNode ep = emu.store().require("webhook_endpoint", request.pathParam("id"));
        Metadata.copyStrings(ep, request, "url", "description");
        enabledEvents(request).ifPresent(events -> {
            ArrayNode enabled = ep.putArray("enabled_events");
            events.forEach(enabled::add);
        });
        request.bool("disabled").ifPresent(d -> ep.put("status", d ? "disabled" : "enabled"));
        Metadata.apply(ep, request);
        return ep;
    }

    private ObjectNode delete(ApiRequest request) {
        String id = request.pathParam("id");
        emu.store().require("webhook_endpoint", id);
        emu.store().remove("webhook_endpoint", id);
        emu.store().remove("_endpoint_secret", id);
        ObjectNode deleted = StripeJson.object();
        deleted.put("id", id);
        deleted.put("object", "webhook_endpoint");
        deleted.put("deleted", true);
        return deleted;
    }
}
