package com.anythingagents.billing.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the HTTP service and its workers until SIGTERM/Ctrl-C. */
@Command(name = "serve", description = "Run the billing service (default).")
final class ServeCommand implements Callable<Integer> {

    @Option(
            names = "--exit-when-ready",
            hidden = true,
            description = "Start, answer the first requests and stop: the training run that records the classes"
                    + " a start loads (class data sharing archive, make build).")
    boolean exitWhenReady;

    @Override
    public Integer call() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        SpringApplication application = CliContext.service().build();
        application.addListeners(event -> {
            if (event instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        ConfigurableApplicationContext context = StartupFailureHandler.run(application::run);
        if (exitWhenReady) {
            TrainingRun.firstRequests(context.getEnvironment());
            context.close();
            return 0;
        }
        try {
            closed.await();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            context.close();
        }
        return 0;
    }
}
