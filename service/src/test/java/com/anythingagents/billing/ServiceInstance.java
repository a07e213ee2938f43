package com.anythingagents.billing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One more instance of the service in this JVM, on its own random port, for tests that need several
 * (a cluster behind a load balancer) or settings the shared test context does not have. It runs in
 * local mode's embedded Postgres unless told otherwise; give it its own schema so the shared
 * context's worker never touches its rows.
 */
public final class ServiceInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private ServiceInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Billing on with the test credentials (no Stripe calls: the API base is a closed port), plus {@code settings}. */
    public static ServiceInstance start(String schema, Map<String, String> settings) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--ENABLE_BILLING=true",
                "--STRIPE_SECRET_KEY=" + TestStripe.SECRET_KEY,
                "--STRIPE_WEBHOOK_SECRET=" + TestStripe.WEBHOOK_SECRET,
                "--STRIPE_PRODUCT_PRICE_MAP=starter=price_a",
                "--STRIPE_API_BASE=http://127.0.0.1:9",
                "--AUTH_JWT_SECRET=" + TestStripe.JWT_SECRET,
                "--spring.datasource.hikari.maximum-pool-size=8",
                "--spring.flyway.default-schema=" + schema,
                "--spring.flyway.schemas=" + schema,
                "--spring.datasource.hikari.schema=" + schema));
        settings.forEach((name, value) -> args.add("--" + name + "=" + value));
        return new ServiceInstance(
                new SpringApplicationBuilder(BillingApplication.class).run(args.toArray(String[]::new)));
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
