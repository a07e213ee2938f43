package com.anythingagents.billing.setup;

import com.anythingagents.billing.config.Mask;
import com.anythingagents.billing.doctor.Finding;
import com.anythingagents.billing.stripe.StripeFailure;
import com.anythingagents.billing.stripe.StripeGateway;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The webhook signing secret: given; or from a hosted endpoint this step finds or creates for a
 * URL (on the SDK's API version); or from {@code stripe listen} when the CLI is logged in; or asked.
 */
final class WebhookStep {

    private static final int ATTEMPTS = 3;

    private WebhookStep() {}

    /** @return false when there is no usable secret */
    static boolean run(SetupRun run, Optional<StripeCli> cli) {
        run.heading("Webhook signing secret");
        Optional<String> secret;
        if (run.options.webhookSecret().isPresent()) {
            secret = run.options.webhookSecret().map(String::strip);
        } else if (run.options.webhookUrl().isPresent()) {
            secret = hostedEndpoint(run, run.options.webhookUrl().get());
            if (secret.isEmpty()) {
                return false;
            }
        } else {
            secret = fromCli(run, cli).or(() -> asked(run));
        }
        if (secret.isEmpty()) {
            run.report(Finding.error(
                    "webhook secret",
                    "none given and none configured",
                    "pass --webhook-secret whsec_…, or --webhook-url https://<host>/webhooks/stripe to create a"
                            + " hosted endpoint, or install and log in the Stripe CLI (stripe listen)"));
            return false;
        }
        return accept(run, secret.get());
    }

    private static boolean accept(SetupRun run, String secret) {
        for (int attempt = 1; ; attempt++) {
            Optional<String> wrong = Arrays.stream(secret.split(","))
                    .map(String::strip)
                    .filter(s -> !s.startsWith("whsec_") || s.length() <= "whsec_".length())
                    .findFirst();
            if (wrong.isEmpty()) {
                run.changes.put("STRIPE_WEBHOOK_SECRET", secret);
                return true;
            }
            run.report(Finding.error(
                    "webhook secret",
                    Mask.secret(wrong.get()) + " is not a webhook signing secret",
                    "it starts with whsec_ (Dashboard → Developers → Webhooks → the endpoint → Signing secret)"));
            if (!run.prompts.interactive()
                    || attempt == ATTEMPTS
                    || run.options.webhookSecret().isPresent()) {
                return false;
            }
            Optional<String> again = asked(run);
            if (again.isEmpty()) {
                return false;
            }
            secret = again.get();
        }
    }

    private static Optional<String> asked(SetupRun run) {
        Optional<String> current = run.current("STRIPE_WEBHOOK_SECRET");
        String answer = run.prompts.askSecret(
                "Webhook signing secret (whsec_…; input hidden)",
                current.map(c -> SetupRun.shown("STRIPE_WEBHOOK_SECRET", c)));
        if (!answer.isEmpty()) {
            return Optional.of(answer);
        }
        current.ifPresent(c -> run.report(Finding.ok("webhook secret", "keeping the configured one")));
        return current;
    }

    private static Optional<String> fromCli(SetupRun run, Optional<StripeCli> cli) {
        if (cli.isEmpty() || !cli.get().loggedIn()) {
            return Optional.empty();
        }
        String forwardTo = forwardTo(run);
        if (!run.prompts.confirm("Use the signing secret of `stripe listen --forward-to " + forwardTo + "`?", true)) {
            return Optional.empty();
        }
        Optional<String> secret = cli.get().listenSecret(forwardTo, run.secretKey);
        if (secret.isEmpty()) {
            run.report(Finding.warning(
                    "webhook secret",
                    "`stripe listen --print-secret` gave none",
                    "check `stripe listen` by hand, or paste the secret"));
            return Optional.empty();
        }
        run.report(Finding.ok(
                "webhook secret",
                "from `stripe listen` (" + Mask.secret(secret.get()) + "); keep `stripe listen --forward-to "
                        + forwardTo + "` running while you develop"));
        return secret;
    }

    static String forwardTo(SetupRun run) {
        return run.options
                .forwardTo()
                .orElseGet(() -> "http://localhost:" + run.current("PORT").orElse("8000") + "/webhooks/stripe");
    }

    /**
     * The endpoint for {@code url}: one on the SDK's release train is kept (with the configured secret:
     * Stripe shows an endpoint's secret only when it creates it); otherwise one is created. An endpoint
     * off the train stays until the new secret is in use: both secrets are written for the switch.
     */
    private static Optional<String> hostedEndpoint(SetupRun run, String url) {
        if (run.stripe.isEmpty()) {
            run.report(Finding.error(
                    "webhook endpoint",
                    "creating or finding " + url + " needs Stripe, which did not answer (or --offline)",
                    "pass --webhook-secret instead, or run again online"));
            return Optional.empty();
        }
        StripeGateway stripe = run.stripe.get();
        try {
            List<JsonNode> forUrl = stripe.webhookEndpoints().stream()
                    .filter(e -> url.equals(e.path("url").asString(null)))
                    .filter(e -> "enabled".equals(e.path("status").asString("enabled")))
                    .toList();
            Optional<JsonNode> onTrain = forUrl.stream()
                    .filter(e ->
                            StripeGateway.onReleaseTrain(e.path("api_version").asString(null)))
                    .findFirst();
            Optional<String> current = run.current("STRIPE_WEBHOOK_SECRET");
            if (onTrain.isPresent()) {
                return existing(run, onTrain.get(), current);
            }
            JsonNode created = stripe.createWebhookEndpoint(
                    url,
                    WebhookEvents.HANDLED,
                    "billing-setup-endpoint-" + Integer.toHexString(url.hashCode()) + "-" + StripeGateway.apiVersion());
            String secret = created.path("secret").asString();
            run.report(Finding.ok(
                    "webhook endpoint",
                    "created " + created.path("id").asString() + " for " + url + " on API version "
                            + StripeGateway.apiVersion() + ", " + WebhookEvents.HANDLED.size() + " event types"));
            if (!forUrl.isEmpty() && current.isPresent()) {
                run.report(Finding.warning(
                        "webhook endpoint",
                        forUrl.get(0).path("id").asString() + " for the same URL is on "
                                + forUrl.get(0).path("api_version").asString("the account's default version")
                                + ": both secrets are written for the switch",
                        "once the service runs with the new secret, delete "
                                + forUrl.get(0).path("id").asString()
                                + " and drop the old secret (docs/billing/stripe-runbook.md, rotation)"));
                return Optional.of(secret + "," + current.get());
            }
            return Optional.of(secret);
        } catch (StripeFailure ex) {
            run.report(Finding.error(
                    "webhook endpoint", ex.getMessage(), "check the key's permissions (webhook endpoints: write)"));
            return Optional.empty();
        }
    }

    private static Optional<String> existing(SetupRun run, JsonNode endpoint, Optional<String> current) {
        String id = endpoint.path("id").asString();
        if (current.isPresent()) {
            run.report(Finding.ok(
                    "webhook endpoint",
                    id + " already sends " + endpoint.path("url").asString() + " events on "
                            + endpoint.path("api_version").asString() + "; keeping the configured secret"));
            return current;
        }
        run.report(Finding.error(
                "webhook endpoint",
                id + " exists for this URL, and Stripe shows an endpoint's secret only when it creates it",
                "pass --webhook-secret whsec_… (Dashboard → Developers → Webhooks → " + id
                        + " → Signing secret), or delete " + id + " and run setup again"));
        return Optional.empty();
    }
}
