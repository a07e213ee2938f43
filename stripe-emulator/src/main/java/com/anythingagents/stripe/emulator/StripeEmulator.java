package com.anythingagents.stripe.emulator;

import com.anythingagents.stripe.emulator.http.StripeException;
import com.anythingagents.stripe.emulator.webhooks.DeliveryAttempt;
import com.anythingagents.stripe.emulator.webhooks.RetryPolicy;
import com.anythingagents.stripe.emulator.webhooks.WebhookDispatcher;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stateful local Stripe API on the JDK HTTP server that sends signed webhooks. Start one with
 * {@code StripeEmulator.start(EmulatorOptions.defaults().port(0))} and point a Stripe SDK at
 * {@link #baseUrl()} with any {@code sk_test_} key.
 */
public final class StripeEmulator implements AutoCloseable {

    private static final int HTTP_THREADS = 16;

    static {
        // The JDK server writes a response's headers and its body in two writes; with Nagle's
        // algorithm on, the body then waits for the client's delayed ACK: about 40 ms per request,
        // which capped a keep-alive connection at ~20 requests/s. The property is read once, when
        // the JVM's first HttpServer starts, so it is set here (unless the JVM already sets it).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Store store = new Store();
    private final EmulatorClock clock = new EmulatorClock(Clock.systemUTC());
    private final WebhookDispatcher dispatcher;
    private final Faults faults = new Faults();
    private final Idempotency idempotency = new Idempotency();
    private final StateSaver saver;
    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final Emulation emu;
    private final BillingClock billingClock;
    private final Payments payments;
    private final WebhookEndpoints endpoints;
    private final CheckoutSessions checkout;
    private final CheckoutCompletion completion;
    private final MeterEvents meterEvents;
    private final AtomicBoolean closed = new AtomicBoolean();

    private StripeEmulator(EmulatorOptions options) throws IOException {
        dispatcher = new WebhookDispatcher(
                new RetryPolicy(
                        options.webhookRetryBaseDelay(), options.webhookMaxAttempts(), options.webhookTimeout()),
                Clock.systemUTC());
        Optional<StateFile> stateFile = options.stateFile().map(StateFile::new);
        stateFile.flatMap(StateFile::load).ifPresent(root -> StateFile.restore(root, store, clock));
        saver = new StateSaver(stateFile, store, clock);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", options.port()), 128);
        emu = new Emulation(store, clock, new Events(store, clock, dispatcher), this::baseUrl, saver);
        Router router = new Router();
        Meters meters = new Meters(emu);
        meterEvents = new MeterEvents(emu);
        Charges charges = new Charges(emu);
        payments = new Payments(emu, charges);
        InvoiceItems invoiceItems = new InvoiceItems(emu);
        Invoicing invoicing = new Invoicing(emu, meters, payments, invoiceItems);
        SubscriptionItems items = new SubscriptionItems(emu);
        Subscriptions subscriptions = new Subscriptions(emu, items, invoicing, new Prorations(emu), invoiceItems);
        Customers customers = new Customers(emu, subscriptions);
        Products products = new Products(emu);
        PaymentMethods paymentMethods = new PaymentMethods(emu);
        checkout = new CheckoutSessions(emu);
        completion = new CheckoutCompletion(emu, checkout, customers, subscriptions, paymentMethods, payments);
        endpoints = new WebhookEndpoints(emu);
        billingClock = new BillingClock(emu, subscriptions, invoicing, checkout);
        customers.register(router);
        products.register(router);
        new Prices(emu, products).register(router);
        subscriptions.register(router);
        items.register(router);
        meters.register(router);
        new MeterEventSummaries(emu, meters).register(router);
        meterEvents.register(router);
        new Invoices(emu, payments).register(router);
        invoiceItems.register(router);
        charges.register(router);
        paymentMethods.register(router);
        checkout.register(router);
        new PortalSessions(emu).register(router);
        new EventsApi(emu).register(router);
        endpoints.register(router);
        server.createContext("/v1/", new ApiHandler(emu, router, faults, idempotency));
        server.createContext("/v2/", new V2ApiHandler(emu, new MeterEventStreams(emu, meterEvents), faults));
        server.createContext("/_emulator/", new ControlApi(this, faults));
        server.createContext(
                "/", new Pages(emu, new CheckoutPage(checkout, completion), new PortalPage(emu, subscriptions)));
        httpThreads = Executors.newFixedThreadPool(HTTP_THREADS, r -> {
            Thread t = new Thread(r, "stripe-emulator-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(httpThreads);
        server.start();
    }

    /** Starts an emulator; {@code port(0)} picks a free port. */
    public static StripeEmulator start(EmulatorOptions options) {
        try {
            return new StripeEmulator(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Stripe emulator on port " + options.port(), e);
        }
    }

    /** {@code http://127.0.0.1:PORT}, the API base for Stripe SDKs. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The emulator's current time (real time plus every advance). */
    public Instant now() {
        return clock.instant();
    }

    /**
     * Registers an endpoint that receives every event type; an existing endpoint with the same URL
     * (e.g. restored from the state file) is reused, so its secret stays stable across restarts.
     */
    public WebhookEndpointInfo addWebhookEndpoint(String url) {
        return mutate(() -> {
            ObjectNode ep = store.all("webhook_endpoint").stream()
                    .filter(e -> url.equals(e.path("url").asString()))
                    .findFirst()
                    .orElseGet(() -> endpoints.add(url, List.of("*")));
            String id = ep.get("id").asString();
            return new WebhookEndpointInfo(id, url, endpoints.secretOf(id));
        });
    }

    /** Moves time forward, rolling trials and billing periods on the way (invoices, payments). */
    public void advanceClock(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("the emulator clock only moves forward");
        }
        advanceClockTo(clock.instant().plus(duration));
    }

    public void advanceClockTo(Instant target) {
        mutate(() -> {
            billingClock.advanceTo(target);
            return null;
        });
    }

    /** The next charge of this customer is declined with {@code declineCode}. */
    public void failNextPayment(String customerId, String declineCode) {
        mutate(() -> {
            payments.armFailure(customerId, declineCode);
            return null;
        });
    }

    /** Re-emits an event of {@code type} carrying the object's current snapshot. */
    public ObjectNode trigger(String type, String objectId) {
        return mutate(() -> emu.events()
                .emit(type, store.findById(objectId).orElseThrow(() -> StripeException.notFound("object", objectId))));
    }

    /** Every webhook delivery attempt so far, in the order they happened. */
    public List<DeliveryAttempt> deliveries() {
        return dispatcher.attempts();
    }

    /** Forgets all state, faults, idempotency keys and recorded deliveries. */
    public void reset() {
        mutate(() -> {
            store.clear();
            idempotency.clear();
            meterEvents.clearErrors();
            return null;
        });
        faults.clear();
        dispatcher.clearAttempts();
    }

    /** Pays an open Checkout Session with a test card, as its page's form does (control API). */
    CheckoutCompletion.Payment payCheckoutSession(String id, String card, String email, String name) {
        return mutate(() -> {
            CheckoutCompletion.Payment payment = completion.pay(checkout.find(id), card, email, name);
            // a copy: the answer is written after the lock is released
            return new CheckoutCompletion.Payment(payment.session().deepCopy(), payment.decline());
        });
    }

    /** Stream meter events dropped as invalid (not duplicates), newest last. */
    List<ObjectNode> meterEventErrors() {
        return emu.read(meterEvents::streamErrors);
    }

    private <T> T mutate(java.util.function.Supplier<T> work) {
        return emu.write(work);
    }

    /**
     * Stops accepting requests, lets the ones in flight finish, then writes the state file, so every
     * change a client saw acknowledged is saved; then stops the delivery threads. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        httpThreads.shutdown();
        try {
            if (!httpThreads.awaitTermination(5, TimeUnit.SECONDS)) {
                httpThreads.shutdownNow();
            }
        } catch (InterruptedException e) {
            httpThreads.shutdownNow();
            Thread.currentThread().interrupt();
        }
        saver.close();
        dispatcher.close();
    }
}
