package com.anythingagents.stripe.emulator.webhooks;

/** Where one event goes: endpoint id, URL and the {@code whsec_} secret that signs it. */
public record WebhookTarget(String endpointId, String url, String secret) {}
