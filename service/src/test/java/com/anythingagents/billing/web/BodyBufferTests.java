package com.anythingagents.billing.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.web.RequestBodies.Refusal;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Buffers grow with the bytes that arrive, inside a shared budget that is always given back. */
class BodyBufferTests {

    private static final int KIB = 1024;

    private final RequestBodies bodies =
            new RequestBodies(new ApiErrorWriter(JsonMapper.builder().build()), 40 * KIB);

    @Test
    void aSmallDeclaredBodyIsOneExactAllocation() {
        BodyBuffer buffer = new BodyBuffer(bodies, 3000);

        assertThat(buffer.start()).isTrue();
        assertThat(buffer.array()).hasSize(3000);
        buffer.advance(3000);

        assertThat(buffer.complete()).isTrue();
        assertThat(buffer.bytes()).isSameAs(buffer.array());
        assertThat(bodies.reservedBytes()).isEqualTo(3000);
        buffer.release();
        buffer.release();
        assertThat(bodies.reservedBytes()).isZero();
    }

    @Test
    void aLargeDeclaredBodyGrowsOnlyAsBytesArrive() {
        BodyBuffer buffer = new BodyBuffer(bodies, 1_000_000);

        assertThat(buffer.start()).isTrue();
        // a Content-Length of a million buys 16 KiB until the bytes come
        assertThat(buffer.array()).hasSize(RequestBodies.FIRST_BUFFER_BYTES);
        buffer.advance(RequestBodies.FIRST_BUFFER_BYTES);
        assertThat(buffer.ensureRoom()).isNull();
        assertThat(buffer.array()).hasSize(2 * RequestBodies.FIRST_BUFFER_BYTES);
        buffer.advance(RequestBodies.FIRST_BUFFER_BYTES);

        // 32 KiB held; 64 KiB would pass the 40 KiB budget
        assertThat(buffer.ensureRoom()).isEqualTo(Refusal.BUSY);
        assertThat(bodies.reservedBytes()).isEqualTo(32 * KIB);
        buffer.release();
        assertThat(bodies.reservedBytes()).isZero();
    }

    @Test
    void theBudgetIsSharedByAllBodiesBeingRead() {
        BodyBuffer first = new BodyBuffer(bodies, 30 * KIB);
        BodyBuffer second = new BodyBuffer(bodies, 30 * KIB);
        BodyBuffer third = new BodyBuffer(bodies, 30 * KIB);

        assertThat(first.start()).isTrue();
        assertThat(second.start()).isTrue();
        assertThat(third.start()).isFalse();
        first.release();
        assertThat(third.start()).isTrue();
    }

    @Test
    void aChunkedBodyIsTooLargeOneByteAfterTheLimit() {
        RequestBodies roomy =
                new RequestBodies(new ApiErrorWriter(JsonMapper.builder().build()), 8L * 1024 * KIB);
        BodyBuffer buffer = new BodyBuffer(roomy, -1);
        assertThat(buffer.start()).isTrue();
        Refusal refusal = null;
        while (refusal == null) {
            buffer.advance(buffer.array().length - buffer.length());
            refusal = buffer.ensureRoom();
        }

        assertThat(refusal).isEqualTo(Refusal.TOO_LARGE);
        assertThat(buffer.length()).isEqualTo(RequestBodies.MAX_BYTES + 1);
        assertThat(buffer.complete()).isFalse();
    }

    @Test
    void aChunkedBodyIsCopiedToItsExactLength() {
        BodyBuffer buffer = new BodyBuffer(bodies, -1);
        assertThat(buffer.start()).isTrue();
        buffer.advance(10);

        assertThat(buffer.bytes()).hasSize(10);
    }
}
