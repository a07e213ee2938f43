package com.anythingagents.billing.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
            description = "Start, answer one health check and one refused webhook, and stop: the training run"
                    + " that records the classes a start loads (class data sharing archive, make build).")
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
            firstRequests(context.getEnvironment().getProperty("local.server.port", Integer.class, 8000));
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

    /** What a service's first requests load (security, actuator, the webhook servlet, JSON errors). */
    private static void firstRequests(int port) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + port);
        client.send(
                HttpRequest.newBuilder(base.resolve("/actuator/health"))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        // unsigned: refused with 400 before anything is stored
        client.send(
                HttpRequest.newBuilder(base.resolve("/webhooks/stripe"))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
