package com.anythingagents.billing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole service on a random port, in local mode (embedded Postgres and Redis shared by every
 * test class in the JVM), with billing on. Every class using it shares one Spring context.
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
            "STRIPE_PRODUCT_PRICE_MAP=starter=price_starter_monthly,pro=price_pro_monthly",
            "AUTH_JWT_SECRET=" + TestStripe.JWT_SECRET
        })
public @interface BillingServiceTest {}
