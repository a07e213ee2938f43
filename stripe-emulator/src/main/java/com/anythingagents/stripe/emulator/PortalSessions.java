package com.anythingagents.stripe.emulator;

import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/billing_portal/sessions}; the returned URL is the emulator's portal page
 * ({@link PortalPage}). {@code configuration} is echoed (there is one built-in configuration),
 * {@code flow_data} is accepted and ignored: the page always opens on the subscription overview.
 */
final class PortalSessions {

    static final String DEFAULT_CONFIGURATION = "bpc_emulator_default";

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
        s.put(
                "configuration",
                request.string("configuration").filter(c -> !c.isEmpty()).orElse(DEFAULT_CONFIGURATION));
        s.put("created", emu.now());
        s.put("customer", customer);
        s.putNull("customer_account");
        s.putNull("flow");
        s.put("livemode", false);
        s.putNull("locale");
        s.putNull("on_behalf_of");
        s.putNull("return_url");
        Metadata.copyStrings(s, request, "locale", "on_behalf_of", "return_url");
        s.put("url", emu.baseUrl().get() + "/portal/" + id);
        emu.store().put(s);
        emu.events().emit("billing_portal.session.created", s);
        return s;
    }
}
