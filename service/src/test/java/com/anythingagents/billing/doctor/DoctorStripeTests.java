package com.anythingagents.billing.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingProcess;
import com.anythingagents.billing.stripe.NewPrice;
import com.anythingagents.billing.stripe.StripeGateway;
import com.anythingagents.stripe.emulator.EmulatorOptions;
import com.anythingagents.stripe.emulator.StripeEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code doctor}'s Stripe checks against an emulator holding a real catalog, and what it says when it is not right. */
class DoctorStripeTests {

    private static final String KEY = "sk_test_51DoctorTestKey00000000000";

    @TempDir
    Path directory;

    private StripeEmulator emulator;

    private String starterPrice;

    @BeforeEach
    void startEmulator() {
        emulator = StripeEmulator.start(EmulatorOptions.defaults().port(0).stateFile(directory.resolve("state.json")));
        catalog();
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    @Test
    void aHealthyAccountIsAllGreen() {
        List<Finding> findings = doctor(vars("starter=" + starterPrice, "agent_runs=agent_run"));

        assertThat(findings).noneMatch(f -> f.level() == Finding.Level.ERROR || f.level() == Finding.Level.WARNING);
        assertThat(text(findings))
                .contains("ok       stripe key: sk_test_…0000 works against " + emulator.baseUrl() + " (test mode)")
                .contains("ok       price starter: " + starterPrice + " active, unit_amount 2900 usd per month")
                .contains("ok       meter agent_runs: mtr_")
                .contains("(the SDK's release train)");
    }

    @Test
    void reportsAMissingPriceAndAMissingMeterWithTheirFixes() {
        List<Finding> findings = doctor(vars(
                "starter=" + starterPrice + ",pro=price_NotInThisAccount", "agent_runs=agent_run,tokens=llm_tokens"));

        assertThat(text(findings))
                .contains("error    price pro: price_NotInThisAccount does not exist in this Stripe account")
                .contains("fix: run `make stripe-setup` (it finds or creates what is missing), or correct"
                        + " STRIPE_PRODUCT_PRICE_MAP")
                .contains("error    meter tokens: no active billing meter has event_name llm_tokens")
                .contains("ok       meter agent_runs: ");
    }

    @Test
    void reportsAWebhookEndpointOffTheSdksReleaseTrain() {
        oldEndpoint("http://127.0.0.1:9/webhooks/stripe", "2024-06-20");

        List<Finding> findings = doctor(vars("starter=" + starterPrice, "agent_runs=agent_run"));

        assertThat(text(findings))
                .contains("http://127.0.0.1:9/webhooks/stripe sends events on 2024-06-20, off the SDK's release train ("
                        + StripeGateway.apiVersion() + "): typed event parsing comes back empty")
                .contains("fix: create an endpoint on " + StripeGateway.apiVersion());
    }

    @Test
    void theCommandExitsOneOnAnyErrorAndNeverPrintsTheKey() {
        oldEndpoint("http://127.0.0.1:9/webhooks/stripe", "2025-03-31.basil");
        Map<String, String> environment = new HashMap<>(vars("pro=price_Missing", "tokens=llm_tokens"));
        try (BillingProcess process = BillingProcess.start(directory, environment, "doctor")) {
            assertThat(process.awaitExit(Duration.ofSeconds(90)))
                    .as(process.output())
                    .isEqualTo(1);

            assertThat(process.output())
                    .contains("error    price pro: price_Missing does not exist")
                    .contains("error    meter tokens: no active billing meter has event_name llm_tokens")
                    .contains("sends events on 2025-03-31.basil, off the SDK's release train")
                    .contains("3 error(s)")
                    .doesNotContain("DoctorTestKey");
        }
    }

    private Map<String, String> vars(String priceMap, String meters) {
        Map<String, String> vars = new HashMap<>();
        vars.put("BILLING_LOCAL_DIR", directory.resolve("local").toString());
        vars.put("ENABLE_BILLING", "true");
        vars.put("STRIPE_SECRET_KEY", KEY);
        vars.put("STRIPE_WEBHOOK_SECRET", "whsec_doctor0123456789abcdef");
        vars.put("STRIPE_API_BASE", emulator.baseUrl());
        vars.put("STRIPE_PRODUCT_PRICE_MAP", priceMap);
        vars.put("BILLING_USAGE_METERS", meters);
        return vars;
    }

    private static List<Finding> doctor(Map<String, String> vars) {
        return new Doctor(Clock.systemUTC()).findings(vars::get);
    }

    private static String text(List<Finding> findings) {
        return String.join("\n", findings.stream().map(Finding::text).toList());
    }

    private void catalog() {
        StripeGateway stripe = StripeGateway.connect(KEY, Optional.of(java.net.URI.create(emulator.baseUrl())));
        String product =
                stripe.createProduct("Starter", Map.of(), "p1").path("id").asString();
        starterPrice = stripe.createPrice(
                        new NewPrice(product, "usd", 2900, "month", "starter_monthly", Optional.empty(), Map.of()),
                        "p2")
                .path("id")
                .asString();
        String meter =
                stripe.createMeter("Agent runs", "agent_run", "m1").path("id").asString();
        stripe.createPrice(
                new NewPrice(product, "usd", 2, "month", "agent_runs_metered", Optional.of(meter), Map.of()), "p3");
        emulator.addWebhookEndpoint("http://127.0.0.1:9/current/webhooks/stripe");
    }

    /**
     * An endpoint created long ago on another API version: the emulator creates endpoints on its own
     * version only, so the version is changed in its state file between two runs.
     */
    private void oldEndpoint(String url, String apiVersion) {
        String id = emulator.addWebhookEndpoint(url).id();
        emulator.close();
        Path state = directory.resolve("state.json");
        try {
            JsonMapper json = JsonMapper.builder().build();
            ObjectNode root = (ObjectNode) json.readTree(Files.readString(state));
            ((ObjectNode) root.path("tables").path("webhook_endpoint").path(id)).put("api_version", apiVersion);
            Files.writeString(state, json.writeValueAsString(root));
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        emulator = StripeEmulator.start(EmulatorOptions.defaults().port(0).stateFile(state));
    }
}
