package com.anythingagents.billing.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.core.env.Environment;

/**
 * The requests of a class data sharing training run ({@code serve --exit-when-ready}, made by
 * {@code make build}): a start loads the classes of the context, and these load those of the first
 * requests (security, actuator, JSON errors, the webhook servlet, signature check, insert and the
 * worker), so a restart that is handed a backlog at once finds them archived too.
 */
final class TrainingRun {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TrainingRun() {}

    static void firstRequests(Environment environment) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port"));
        send(client, HttpRequest.newBuilder(base.resolve("/actuator/health")).GET());
        // unsigned: refused with 400 before anything is read further
        send(client, HttpRequest.newBuilder(base.resolve("/webhooks/stripe")).POST(body("{}")));
        String secrets = environment.getProperty("STRIPE_WEBHOOK_SECRET");
        if (!Boolean.parseBoolean(environment.getProperty("BILLING_LOCAL_EPHEMERAL")) || secrets == null) {
            return; // a signed event is stored: only into a throwaway database
        }
        long now = System.currentTimeMillis() / 1000;
        String event = """
                {"id":"evt_training_%1$d","object":"event","api_version":"2026-07-29.dahlia","created":%1$d,\
                "livemode":false,"type":"customer.subscription.updated","data":{"object":{"id":"sub_training",\
                "object":"subscription","customer":"cus_training","status":"active","created":%1$d,\
                "metadata":{"tenant_id":"training"},"items":{"object":"list","has_more":false,"data":[\
                {"id":"si_training","object":"subscription_item","quantity":1,"current_period_start":%1$d,\
                "current_period_end":%1$d,"price":{"id":"price_training","object":"price"}}]}}}}""".formatted(now);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secrets.split(",")[0].strip().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((now + ".").getBytes(StandardCharsets.US_ASCII));
        String signature = HexFormat.of().formatHex(mac.doFinal(event.getBytes(StandardCharsets.UTF_8)));
        send(
                client,
                HttpRequest.newBuilder(base.resolve("/webhooks/stripe"))
                        .header("Stripe-Signature", "t=" + now + ",v1=" + signature)
                        .POST(body(event)));
    }

    private static HttpRequest.BodyPublisher body(String text) {
        return HttpRequest.BodyPublishers.ofString(text);
    }

    private static void send(HttpClient client, HttpRequest.Builder request) throws Exception {
        client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.discarding());
    }
}
