package com.anythingagents.stripe.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** The emulator's own time: starts at real time and only moves forward by explicit advances. */
final class EmulatorClock extends Clock {

    private final Clock base;
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    EmulatorClock(Clock base) {
        this.base = base;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the emulator clock is always UTC");
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset.get());
    }

    long epochSecond() {
        return instant().getEpochSecond();
    }

    /** Moves to {@code target}; never backwards, because subscription periods would then overlap. */
    void moveTo(Instant target) {
        Duration delta = Duration.between(instant(), target);
        if (!delta.isNegative()) {
            offset.updateAndGet(o -> o.plus(delta));
        }
    }

    Duration offset() {
        return offset.get();
    }

    void setOffset(Duration value) {
        offset.set(value);
    }
}
