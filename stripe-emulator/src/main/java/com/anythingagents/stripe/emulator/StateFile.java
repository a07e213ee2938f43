package com.anythingagents.stripe.emulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.node.ObjectNode;

/**
 * The optional JSON snapshot that keeps a developer's customers and subscriptions across
 * restarts. It holds webhook secrets, so it is created 0600 and replaced atomically.
 */
final class StateFile {

    private final Path path;

    StateFile(Path path) {
        this.path = path;
    }

    Optional<ObjectNode> load() {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(StripeJson.parse(Files.readAllBytes(path)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read emulator state " + path, e);
        }
    }

    /**
     * The whole state as JSON bytes, streamed (no second tree of hundreds of thousands of meter
     * events is built); the caller holds the store lock.
     */
    byte[] snapshot(Store store, EmulatorClock clock) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try (JsonGenerator g = StripeJson.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberProperty("clock_offset_seconds", clock.offset().getSeconds());
            g.writeName("tables");
            store.write(g);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** Replaces the file atomically with {@code snapshot}; needs no lock. */
    void write(byte[] snapshot) {
        try {
            Path dir = path.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(
                    dir,
                    ".stripe-emulator",
                    ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, snapshot);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write emulator state " + path, e);
        }
    }

    static void restore(ObjectNode root, Store store, EmulatorClock clock) {
        clock.setOffset(Duration.ofSeconds(root.path("clock_offset_seconds").asLong()));
        store.restore((ObjectNode) root.get("tables"));
    }
}
