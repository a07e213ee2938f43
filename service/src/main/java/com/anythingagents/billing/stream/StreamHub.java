package com.anythingagents.billing.stream;

import com.anythingagents.billing.activity.ActivityEntry;
import com.anythingagents.billing.activity.ActivityListener;
import com.anythingagents.billing.activity.BillingActivity;
import com.anythingagents.billing.config.StreamSettings;
import com.anythingagents.billing.stream.SseClient.CatchUp;
import com.anythingagents.billing.stream.SseClient.CloseReason;
import com.anythingagents.billing.stream.SseFrames.Frame;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * This instance's live-stream clients, by tenant. Committed activity reaches them from this
 * instance's own commits (as an {@link ActivityListener}) and from other instances' (over Redis);
 * a client takes an item only when it is the next of its sequence, and otherwise reads what it
 * missed from Postgres (a catch-up). Catch-ups also run when the Redis subscription comes back
 * (everything published meanwhile is lost) and every reconcile interval (a publication that failed
 * while the subscription stayed up). No thread belongs to a client: one thread fans out, two read
 * the ledger, one timer pings and reconciles.
 */
final class StreamHub implements ActivityListener, RedisFanOut.Receiver, SseClient.Owner, SmartLifecycle {

    static final int PAGE = 100;

    private static final int FAN_OUT_QUEUE = 10_000;

    private static final Logger log = LoggerFactory.getLogger(StreamHub.class);

    private final BillingActivity activity;

    private final RedisFanOut redis;

    private final SseFrames frames;

    private final StreamSettings settings;

    private final StreamMetrics metrics;

    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();

    // slots taken on this instance, of every tenant
    private final AtomicInteger open = new AtomicInteger();

    private volatile Threads threads; // from start() to stop(): a stopped context may be started again

    /** One thread fans out (bounded queue), two read the ledger, one pings and reconciles. */
    private record Threads(ThreadPoolExecutor fanOut, ExecutorService catchUps, ScheduledExecutorService timer) {

        static Threads start() {
            return new Threads(
                    new ThreadPoolExecutor(
                            1,
                            1,
                            0,
                            TimeUnit.MILLISECONDS,
                            new ArrayBlockingQueue<>(FAN_OUT_QUEUE),
                            named("billing-stream-fanout")),
                    Executors.newFixedThreadPool(2, named("billing-stream-catch-up")),
                    Executors.newSingleThreadScheduledExecutor(named("billing-stream-timer")));
        }

        void stop() {
            timer.shutdownNow();
            fanOut.shutdownNow();
            catchUps.shutdownNow();
        }
    }

    /** A tenant's clients; {@code slots} (changed only inside the map's compute) counts reservations. */
    private static final class Tenant {

        final Set<SseClient> clients = ConcurrentHashMap.newKeySet();

        int slots;
    }

    StreamHub(
            BillingActivity activity,
            RedisFanOut redis,
            SseFrames frames,
            StreamSettings settings,
            StreamMetrics metrics) {
        this.activity = activity;
        this.redis = redis;
        this.frames = frames;
        this.settings = settings;
        this.metrics = metrics;
        redis.receiveWith(this);
    }

    /** False without a Redis URL: the stream answers 503. */
    boolean available() {
        return redis.configured();
    }

    /** What {@link #reserve} did. */
    enum Reservation {
        RESERVED,
        TENANT_FULL,
        INSTANCE_FULL
    }

    /** Takes one of the instance's and one of the tenant's connection slots, or neither (429). */
    Reservation reserve(String tenantId) {
        if (open.incrementAndGet() > settings.maxClients()) {
            open.decrementAndGet();
            metrics.rejected();
            return Reservation.INSTANCE_FULL;
        }
        boolean[] reserved = {false};
        tenants.compute(tenantId, (id, tenant) -> {
            Tenant current = tenant == null ? new Tenant() : tenant;
            if (current.slots < settings.maxClientsPerTenant()) {
                current.slots++;
                reserved[0] = true;
            }
            return current.slots == 0 ? null : current;
        });
        if (!reserved[0]) {
            open.decrementAndGet();
            metrics.rejected();
            return Reservation.TENANT_FULL;
        }
        return Reservation.RESERVED;
    }

    /** Gives back a slot that {@link #attach} never used. */
    void unreserve(String tenantId) {
        open.decrementAndGet();
        tenants.computeIfPresent(tenantId, (id, tenant) -> --tenant.slots == 0 ? null : tenant);
    }

    /** Starts a client on its reserved slot: the retry hint, then the replay of what it missed. */
    void attach(SseClient client) {
        tenants.get(client.tenantId()).clients.add(client);
        metrics.connected();
        client.start(SseFrames.RETRY_HINT);
        catchUp(client);
    }

    @Override
    public void closed(SseClient client, CloseReason reason) {
        open.decrementAndGet();
        tenants.computeIfPresent(client.tenantId(), (id, tenant) -> {
            tenant.clients.remove(client);
            return --tenant.slots == 0 ? null : tenant;
        });
        metrics.disconnected(reason);
    }

    @Override
    public void written(Frame frame) {
        metrics.sent(frame.kind());
    }

    @Override
    public void committed(List<ActivityEntry> entries) {
        // on the committing thread (the worker's): hand over and return
        handOver(() -> deliver(entries));
    }

    @Override
    public void received(ActivityEntry entry) {
        handOver(() -> deliver(List.of(entry)));
    }

    @Override
    public void subscribed() {
        schedule(this::reconcile);
    }

    private void handOver(Runnable delivery) {
        Threads current = threads;
        if (current == null) {
            return; // stopped: no client to deliver to
        }
        try {
            current.fanOut().execute(delivery);
        } catch (RejectedExecutionException ex) {
            // full (or shut down): the clients concerned catch up from the ledger at the next reconcile
            metrics.fanOutDropped();
        }
    }

    private void deliver(List<ActivityEntry> entries) {
        for (ActivityEntry entry : entries) {
            Tenant tenant = tenants.get(entry.tenantId());
            if (tenant == null || tenant.clients.isEmpty()) {
                continue;
            }
            Frame frame = frames.activity(entry); // encoded once for all of the tenant's clients
            for (SseClient client : tenant.clients) {
                if (client.offerLive(entry.seq(), frame)) {
                    catchUp(client);
                }
            }
        }
    }

    @Override
    public void catchUp(SseClient client) {
        Threads current = threads;
        try {
            if (current == null) {
                throw new RejectedExecutionException("stopped");
            }
            current.catchUps().execute(() -> readMissed(client));
        } catch (RejectedExecutionException ex) {
            client.close(CloseReason.SHUTDOWN);
        }
    }

    private void readMissed(SseClient client) {
        try {
            CatchUp next;
            do {
                metrics.catchUp();
                List<ActivityEntry> page = activity.after(client.tenantId(), client.readFrom(), PAGE);
                next = client.caughtUp(page, PAGE, frames::activity, seq -> frames.ready(client.tenantId(), seq));
            } while (next == CatchUp.MORE);
        } catch (RuntimeException ex) {
            // Postgres unreachable: the client reconnects after the retry hint and resumes from its id
            log.warn("Cannot read missed activity for a stream client: {}", ex.getMessage());
            client.close(CloseReason.CATCH_UP_FAILED);
        }
    }

    /** Catches up every client that is behind the ledger: one query for all tenants with clients. */
    private void reconcile() {
        if (tenants.isEmpty()) {
            return;
        }
        Map<String, Long> latest = activity.latestSeqs(Set.copyOf(tenants.keySet()));
        latest.forEach((tenantId, seq) -> {
            Tenant tenant = tenants.get(tenantId);
            if (tenant != null) {
                for (SseClient client : tenant.clients) {
                    if (client.behind(seq)) {
                        catchUp(client);
                    }
                }
            }
        });
    }

    private void ping() {
        tenants.values().forEach(tenant -> tenant.clients.forEach(client -> client.offer(SseFrames.PING)));
    }

    private void schedule(Runnable task) {
        Threads current = threads;
        try {
            if (current != null) {
                current.timer().execute(() -> survive(task));
            }
        } catch (RejectedExecutionException ex) {
            // shutting down
        }
    }

    /** A scheduled task that throws is never run again: log, and keep the schedule. */
    private static void survive(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException ex) {
            log.warn("Live stream housekeeping failed; retrying at the next interval: {}", ex.getMessage());
        }
    }

    @Override
    public synchronized void start() {
        if (threads != null || !redis.configured()) {
            return;
        }
        Threads started = Threads.start();
        long ping = settings.pingInterval().toMillis();
        long reconcile = settings.reconcileInterval().toMillis();
        started.timer().scheduleAtFixedRate(() -> survive(this::ping), ping, ping, TimeUnit.MILLISECONDS);
        started.timer()
                .scheduleWithFixedDelay(() -> survive(this::reconcile), reconcile, reconcile, TimeUnit.MILLISECONDS);
        threads = started;
    }

    /** Ends every stream (clients reconnect elsewhere, with their Last-Event-ID) before the server drains. */
    @Override
    public synchronized void stop() {
        Threads stopped = threads;
        threads = null;
        if (stopped != null) {
            stopped.stop();
        }
        tenants.values().forEach(tenant -> tenant.clients.forEach(client -> client.close(CloseReason.SHUTDOWN)));
    }

    @Override
    public boolean isRunning() {
        return threads != null;
    }

    private static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
