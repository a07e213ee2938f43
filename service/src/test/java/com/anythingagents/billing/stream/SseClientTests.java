package com.anythingagents.billing.stream;

import static com.anythingagents.billing.activity.ActivityEntries.tick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import com.anythingagents.billing.activity.ActivityEntries;
import com.anythingagents.billing.activity.ActivityEntry;
import com.anythingagents.billing.stream.SseClient.CatchUp;
import com.anythingagents.billing.stream.SseClient.CloseReason;
import com.anythingagents.billing.stream.SseFrames.Frame;
import com.anythingagents.billing.stream.SseFrames.Kind;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The per-client ordering and memory rules, against a socket the test opens and closes by hand. */
class SseClientTests {

    private static final int PAGE = 100;

    private final Socket socket = new Socket();

    private final Owner owner = new Owner();

    private final AsyncContext async = mock(AsyncContext.class);

    private SseClient client(long position, int bufferBytes) {
        SseClient client = new SseClient("acme", position, async, socket, bufferBytes, owner);
        client.start(SseFrames.RETRY_HINT);
        client.onWritePossible();
        return client;
    }

    /** Runs the catch-up the owner was asked for, from a ledger holding {@code ledger}. */
    private static CatchUp catchUp(SseClient client, List<Long> ledger) {
        long from = client.readFrom();
        List<ActivityEntry> page = ledger.stream()
                .filter(seq -> seq > from)
                .limit(PAGE)
                .map(ActivityEntries::tick)
                .toList();
        return client.caughtUp(
                page,
                PAGE,
                e -> frame(e.seq()),
                seq -> new Frame(Kind.READY, bytes("id: " + seq + "\nevent: ready\n\n")));
    }

    @Test
    void takesALiveItemOnlyWhenItIsTheNextAndReadsTheLedgerOnAGap() {
        SseClient client = client(5, 64 * 1024);
        assertThat(catchUp(client, List.of(1L, 2L, 3L, 4L, 5L))).isEqualTo(CatchUp.DONE);

        assertThat(client.offerLive(6, frame(6))).isFalse();
        assertThat(client.offerLive(6, frame(6))).isFalse(); // a duplicate (own commit and Redis)
        assertThat(client.offerLive(8, frame(8))).isTrue(); // 7 is missing: read the ledger
        assertThat(client.offerLive(9, frame(9))).isFalse(); // a read is already scheduled
        assertThat(catchUp(client, List.of(6L, 7L, 8L, 9L))).isEqualTo(CatchUp.DONE);
        assertThat(client.offerLive(9, frame(9))).isFalse();
        assertThat(client.offerLive(10, frame(10))).isFalse();

        assertThat(socket.ids()).containsExactly(5L, 6L, 7L, 8L, 9L, 10L); // 5: the ready frame
        assertThat(socket.text()).startsWith("retry: 3000\n\nid: 5\nevent: ready");
    }

    @Test
    void newsDuringALedgerReadMakesItReadAgain() {
        SseClient client = client(0, 64 * 1024);
        long from = client.readFrom();
        assertThat(client.offerLive(3, frame(3))).isFalse(); // announced after the read began

        CatchUp first = client.caughtUp(List.of(tick(1), tick(2)), PAGE, e -> frame(e.seq()), seq -> frame(seq));

        assertThat(from).isZero();
        assertThat(first).isEqualTo(CatchUp.MORE);
        assertThat(catchUp(client, List.of(1L, 2L, 3L))).isEqualTo(CatchUp.DONE);
        assertThat(socket.ids()).containsExactly(1L, 2L, 3L, 3L); // the last 3: the ready frame
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedOnceItsBufferIsFull() {
        SseClient client = client(0, 8 * 1024);
        catchUp(client, List.of());
        socket.ready = false; // the kernel's buffers are full: nothing more can be written

        long seq = 1;
        while (owner.closed.isEmpty() && seq < 1_000) {
            client.offerLive(seq, frame(seq));
            seq++;
        }

        assertThat(owner.closed).containsExactly(CloseReason.SLOW);
        assertThat(seq).isLessThan(100); // about 8 KiB of 100-byte frames, not more
        verify(async, times(1)).complete();
        client.close(CloseReason.GONE);
        assertThat(owner.closed).containsExactly(CloseReason.SLOW); // ends once
    }

    @Test
    void aLongReplayGoesAtTheClientsPace() {
        SseClient client = client(0, 8 * 1024);
        socket.ready = false;
        List<Long> ledger = LongStream.rangeClosed(1, 250).boxed().toList();

        assertThat(catchUp(client, ledger)).isEqualTo(CatchUp.PAUSED);
        assertThat(owner.catchUps).isZero();
        socket.ready = true;
        client.onWritePossible(); // the client read: the replay resumes
        assertThat(owner.catchUps).isEqualTo(1);
        CatchUp next;
        do {
            next = catchUp(client, ledger);
            if (next == CatchUp.PAUSED) {
                client.onWritePossible();
            }
        } while (next != CatchUp.DONE);

        assertThat(owner.closed).isEmpty();
        assertThat(socket.ids()).containsExactlyElementsOf(concat(ledger, 250L)); // then the ready frame
    }

    private static List<Long> concat(List<Long> ids, long last) {
        List<Long> all = new ArrayList<>(ids);
        all.add(last);
        return all;
    }

    /** About 100 bytes, like a small activity frame. */
    private static Frame frame(long seq) {
        return new Frame(Kind.ACTIVITY, bytes("id: " + seq + "\nevent: test.tick\ndata: " + "x".repeat(70) + "\n\n"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A connection the test makes writable or not; it keeps what was written. */
    private static final class Socket extends ServletOutputStream {

        private final ByteArrayOutputStream written = new ByteArrayOutputStream();

        boolean ready = true;

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener listener) {}

        @Override
        public void write(int b) {
            written.write(b);
        }

        String text() {
            return written.toString(StandardCharsets.UTF_8);
        }

        List<Long> ids() {
            List<Long> ids = new ArrayList<>();
            Matcher id = Pattern.compile("(?m)^id: (\\d+)$").matcher(text());
            while (id.find()) {
                ids.add(Long.parseLong(id.group(1)));
            }
            return ids;
        }
    }

    private static final class Owner implements SseClient.Owner {

        final List<CloseReason> closed = new ArrayList<>();

        int catchUps;

        @Override
        public void catchUp(SseClient client) {
            catchUps++;
        }

        @Override
        public void closed(SseClient client, CloseReason reason) {
            closed.add(reason);
        }

        @Override
        public void written(Frame frame) {}
    }
}
