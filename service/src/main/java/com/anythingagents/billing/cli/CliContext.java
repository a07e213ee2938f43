package com.anythingagents.billing.cli;

import java.util.function.Function;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service without its web server and background workers, for operator commands: same
 * configuration, same database, same code paths; Spring's startup chatter is kept off the output.
 */
final class CliContext {

    /** Set once by {@link BillingCommand#execute} before any command runs. */
    static Class<?> application;

    private CliContext() {}

    /** A builder for the service's Spring application. */
    static SpringApplicationBuilder service() {
        if (application == null) {
            throw new IllegalStateException("BillingCommand.execute was not given the application class");
        }
        return new SpringApplicationBuilder(application);
    }

    static int run(Function<ConfigurableApplicationContext, Integer> command) {
        // a system property, because logging is configured before the builder's defaults apply
        System.setProperty("logging.level.root", "WARN");
        System.setProperty("logging.level.com.anythingagents.billing.events", "ERROR");
        try (ConfigurableApplicationContext context = service()
                .web(WebApplicationType.NONE)
                .properties("billing.workers.enabled=false", "spring.main.log-startup-info=false")
                .run()) {
            return command.apply(context);
        }
    }
}
