package com.anythingagents.stripe.emulator;

/** A registered webhook endpoint: its {@code we_} id, URL and {@code whsec_} signing secret. */
public record WebhookEndpointInfo(String id, String url, String secret) {}
