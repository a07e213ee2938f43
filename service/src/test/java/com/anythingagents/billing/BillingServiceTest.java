package com.anythingagents.billing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole service on a random port in local mode, as {@code make run} starts it: embedded
 * Postgres and Redis and the in-process Stripe emulator (reach it with {@code LocalMode.emulator()}),
 * shared by every test class in the JVM. Every class using it shares one Spring context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "AUTH_JWT_SECRET=" + TestStripe.JWT_SECRET)
public @interface BillingServiceTest {}
