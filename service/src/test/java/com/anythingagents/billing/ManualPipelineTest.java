package com.anythingagents.billing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The service with billing configured explicitly (two webhook secrets, as during a rotation; no
 * Stripe calls: the API base is a closed port), the worker in manual mode, a settable clock and a
 * datasource that can be made to fail. It uses its own schema ({@value #SCHEMA}) in local mode's
 * embedded Postgres so the shared context's background worker never touches its rows.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "ENABLE_BILLING=true",
            "STRIPE_SECRET_KEY=" + TestStripe.SECRET_KEY,
            "STRIPE_WEBHOOK_SECRET=" + TestStripe.WEBHOOK_SECRET + "," + TestStripe.ROTATED_WEBHOOK_SECRET,
            "STRIPE_PRODUCT_PRICE_MAP=starter=price_a",
            "STRIPE_API_BASE=http://127.0.0.1:9",
            "AUTH_JWT_SECRET=" + TestStripe.JWT_SECRET,
            "billing.workers.enabled=false",
            "BILLING_WEBHOOK_MAX_ATTEMPTS=3",
            "spring.flyway.default-schema=" + ManualPipelineTest.SCHEMA,
            "spring.flyway.schemas=" + ManualPipelineTest.SCHEMA,
            "spring.datasource.hikari.schema=" + ManualPipelineTest.SCHEMA
        })
@Import(ManualPipelineConfiguration.class)
public @interface ManualPipelineTest {

    String SCHEMA = "manual_pipeline";
}
