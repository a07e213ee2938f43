package com.anythingagents.billing.stream;

import com.anythingagents.billing.activity.ActivityEntry;
import com.anythingagents.billing.stream.SseFrames.Frame;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * One open stream: its position in the tenant's sequence and a bounded queue of frames, written
 * with non-blocking servlet I/O. No thread ever waits on the socket: a frame is written while the
 * container says the connection is ready, and the container calls {@link #onWritePossible} when it
 * is again. A client whose queue outgrows its buffer is too slow and is disconnected (it resumes with
 * Last-Event-ID), so memory per client stays bounded.
 *
 * <p>Ordering: the client takes a live item only when it is exactly the next of its sequence.
 * Anything else (a gap, or items announced while a read is running) makes it read the ledger after
 * its position instead ({@link #readFrom}, {@link #caughtUp}): per tenant the sequence is commit
 * order, so that read returns every item it missed, and an id is queued at most once because the
 * position only moves forward. All state is guarded by this object's lock; the async context is
 * completed outside it.
 */
final class SseClient implements WriteListener, AsyncListener {

    /** The hub's side: schedules catch-up reads, learns of ended clients and written frames. */
    interface Owner {

        void catchUp(SseClient client);

        void closed(SseClient client, CloseReason reason);

        void written(Frame frame);
    }

    /** Why a stream ended (bounded, for the disconnects metric). */
    enum CloseReason {
        GONE,
        SLOW,
        EXPIRED,
        SHUTDOWN,
        CATCH_UP_FAILED
    }

    /** What the catch-up read should do next. */
    enum CatchUp {
        MORE,
        PAUSED,
        DONE
    }

    private final String tenantId;

    private final AsyncContext async;

    private final ServletOutputStream out;

    private final int bufferBytes;

    private final Owner owner;

    private final ArrayDeque<Frame> queue = new ArrayDeque<>();

    private int queuedBytes;

    private boolean writable; // the container called onWritePossible: writing may start

    private boolean unflushed;

    private long position; // seq of the last activity queued

    private boolean catchingUp = true; // a read of the ledger is scheduled or running

    private boolean readAgain; // news arrived while a read ran

    private boolean pausedForRoom; // the read waits for the queue to drain

    private boolean ready; // the ready frame is queued: the initial replay is done

    private CloseReason closed;

    private boolean ended;

    /** @param position the last seq the client has; it gets everything after it */
    SseClient(
            String tenantId, long position, AsyncContext async, ServletOutputStream out, int bufferBytes, Owner owner) {
        this.tenantId = tenantId;
        this.position = position;
        this.async = async;
        this.out = out;
        this.bufferBytes = bufferBytes;
        this.owner = owner;
    }

    String tenantId() {
        return tenantId;
    }

    /** Queues the first frame; the owner then schedules the initial catch-up (catchingUp starts true). */
    void start(Frame first) {
        synchronized (this) {
            enqueue(first);
        }
    }

    /** @return true when the owner must schedule a catch-up */
    boolean offerLive(long seq, Frame frame) {
        boolean schedule = false;
        synchronized (this) {
            if (closed == null && seq > position) {
                if (seq == position + 1 && !pausedForRoom) {
                    position = seq;
                    enqueue(frame);
                    drain();
                } else {
                    schedule = requestRead();
                }
            }
        }
        endIfClosed();
        return schedule;
    }

    /** The ledger has items up to {@code latest}: @return true when the owner must schedule a catch-up */
    synchronized boolean behind(long latest) {
        return closed == null && latest > position && requestRead();
    }

    private boolean requestRead() {
        if (catchingUp) {
            readAgain = true;
            return false;
        }
        catchingUp = true;
        return true;
    }

    /** Where the next ledger read starts; anything announced from now on makes it read once more. */
    synchronized long readFrom() {
        readAgain = false;
        return position;
    }

    /** Queues the items of one ledger read that are after the position. */
    CatchUp caughtUp(
            List<ActivityEntry> page,
            int pageSize,
            Function<ActivityEntry, Frame> frames,
            LongFunction<Frame> readyFrame) {
        CatchUp next;
        synchronized (this) {
            next = append(page, pageSize, frames, readyFrame);
            drain();
        }
        endIfClosed();
        return next;
    }

    private CatchUp append(
            List<ActivityEntry> page,
            int pageSize,
            Function<ActivityEntry, Frame> frames,
            LongFunction<Frame> readyFrame) {
        if (closed != null) {
            return CatchUp.DONE;
        }
        for (ActivityEntry entry : page) {
            if (entry.seq() <= position) {
                continue;
            }
            Frame frame = frames.apply(entry);
            if (queuedBytes > 0 && queuedBytes + frame.bytes().length > bufferBytes * 3 / 4) {
                // a long replay goes at the client's pace: resume when the queue has drained
                pausedForRoom = true;
                return CatchUp.PAUSED;
            }
            position = entry.seq();
            enqueue(frame);
        }
        if (page.size() == pageSize || readAgain) {
            return CatchUp.MORE;
        }
        catchingUp = false;
        if (!ready) {
            ready = true;
            enqueue(readyFrame.apply(position));
        }
        return CatchUp.DONE;
    }

    void offer(Frame frame) {
        synchronized (this) {
            if (closed == null) {
                enqueue(frame);
                drain();
            }
        }
        endIfClosed();
    }

    void close(CloseReason reason) {
        synchronized (this) {
            markClosed(reason);
        }
        endIfClosed();
    }

    @Override
    public void onWritePossible() {
        synchronized (this) {
            writable = true;
            drain();
        }
        endIfClosed();
    }

    @Override
    public void onError(Throwable error) {
        close(CloseReason.GONE);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close(CloseReason.EXPIRED); // the token expired: the client reconnects with a fresh one
    }

    @Override
    public void onError(AsyncEvent event) {
        close(CloseReason.GONE);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        // the container ended it (or we did, and this is a no-op): nothing left to complete
        synchronized (this) {
            markClosed(CloseReason.GONE);
        }
        end(false);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}

    private void enqueue(Frame frame) {
        if (closed != null) {
            return;
        }
        if (queuedBytes + frame.bytes().length > bufferBytes) {
            markClosed(CloseReason.SLOW);
            return;
        }
        queue.add(frame);
        queuedBytes += frame.bytes().length;
    }

    private void drain() {
        if (!writable || closed != null) {
            return;
        }
        try {
            while (out.isReady()) {
                Frame frame = queue.poll();
                if (frame == null) {
                    if (!unflushed) {
                        break;
                    }
                    unflushed = false;
                    out.flush(); // may leave the connection not ready: the container calls back
                    continue;
                }
                queuedBytes -= frame.bytes().length;
                out.write(frame.bytes());
                unflushed = true;
                owner.written(frame);
            }
        } catch (IOException | RuntimeException ex) {
            // the client went away (or the container already recycled the response)
            markClosed(CloseReason.GONE);
            return;
        }
        if (pausedForRoom && queuedBytes <= bufferBytes / 4) {
            pausedForRoom = false;
            owner.catchUp(this);
        }
    }

    private void markClosed(CloseReason reason) {
        if (closed == null) {
            closed = reason;
            queue.clear();
            queuedBytes = 0;
        }
    }

    /** Completes the async context and tells the owner, once, outside the lock. */
    private void endIfClosed() {
        end(true);
    }

    private void end(boolean completeContext) {
        CloseReason reason;
        synchronized (this) {
            if (closed == null || ended) {
                return;
            }
            ended = true;
            reason = closed;
        }
        if (completeContext) {
            try {
                async.complete();
            } catch (RuntimeException ex) {
                // already completed by the container (timeout, error, client gone)
            }
        }
        owner.closed(this, reason);
    }
}
