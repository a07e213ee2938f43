package com.anythingagents.stripe.emulator;

import tools.jackson.databind.node.ObjectNode;

/** {@code POST /v1/billing_portal/sessions}; the returned URL is a page served by the emulator. */
final class PortalSessions {

    private final Emulation emu;

    PortalSessions(Emulation emu) {
        this.emu = emu;
    }

    void register(Router router) {
        router.route("POST", "/v1/billing_portal/sessions", this::create);
    }

    private ObjectNode create(ApiRequest request) {
        String customer = request.requireString("customer");
        emu.store().require("customer", customer);
        ObjectNode s = StripeJson.object();
        String id = Ids.next("bps");
        s.put("id", id);
        s.put("object", "billing_portal.session");
        s.put("configuration", "bpc_emulator_default");
        s.put("created", emu.now());
        s.put("customer", customer);
        s.putNull("customer_account");
        s.putNull("flow");
        s.put("livemode", false);
        s.putNull("locale");
        s.putNull("on_behalf_of");
        s.put("return_url", request.string("return_url").orElse(null));
        s.put("url", emu.baseUrl().get() + "/portal/" + id);
        emu.store().put(s);
        emu.events().emit("billing_portal.session.created", s);
        return s;
    }
}
