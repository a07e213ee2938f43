package com.anythingagents.billing.setup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code .env.local} edited in place: values changed on their lines, everything else kept. */
class EnvLocalFileTests {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:15:30Z"), ZoneOffset.UTC);

    @TempDir
    Path directory;

    @Test
    void changesValuesOnTheirOwnLinesAndKeepsEveryOtherLineAndComment() throws Exception {
        Path file = directory.resolve(".env.local");
        Files.writeString(file, """
                # my settings
                PORT=8100
                export STRIPE_SECRET_KEY=sk_test_old000000000000 # from the team vault
                # STRIPE_WEBHOOK_SECRET=whsec_replace_me

                AUTH_JWT_SECRET='keep-me-as-i-am-0000000000000000000'
                """);

        EnvLocalFile.Update update = new EnvLocalFile(file, CLOCK)
                .set(ordered(
                        "STRIPE_SECRET_KEY", "sk_test_new111111111111",
                        "STRIPE_WEBHOOK_SECRET", "whsec_new222222222222",
                        "STRIPE_PRODUCT_PRICE_MAP", "starter=price_1,pro=price_2"));

        assertThat(update.changed()).isTrue();
        assertThat(Files.readAllLines(file))
                .containsExactly(
                        "# my settings",
                        "PORT=8100",
                        "export STRIPE_SECRET_KEY=sk_test_new111111111111 # from the team vault",
                        "# STRIPE_WEBHOOK_SECRET=whsec_replace_me",
                        "STRIPE_WEBHOOK_SECRET=whsec_new222222222222",
                        "",
                        "AUTH_JWT_SECRET='keep-me-as-i-am-0000000000000000000'",
                        "",
                        "# Written by `billing-service setup` (make stripe-setup / make dev-up)",
                        "STRIPE_PRODUCT_PRICE_MAP=starter=price_1,pro=price_2");
        assertThat(new EnvLocalFile(file, CLOCK).values())
                .containsEntry("STRIPE_SECRET_KEY", "sk_test_new111111111111")
                .containsEntry("AUTH_JWT_SECRET", "keep-me-as-i-am-0000000000000000000");
    }

    @Test
    void keepsThePreviousFileAsABackupAndBothAreOwnerOnly() throws Exception {
        Path file = directory.resolve(".env.local");
        Files.writeString(file, "STRIPE_SECRET_KEY=sk_test_old000000000000\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        EnvLocalFile.Update update =
                new EnvLocalFile(file, CLOCK).set(Map.of("STRIPE_SECRET_KEY", "sk_test_new111111111111"));

        Path backup = update.backup().orElseThrow();
        assertThat(backup.getFileName()).hasToString(".env.local.bak-20261201-101530");
        assertThat(Files.readString(backup)).isEqualTo("STRIPE_SECRET_KEY=sk_test_old000000000000\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void writesNothingAndKeepsNoBackupWhenTheValuesAreThereAlready() throws Exception {
        Path file = directory.resolve(".env.local");
        Files.writeString(file, "ENABLE_BILLING=true\n");

        EnvLocalFile.Update update = new EnvLocalFile(file, CLOCK).set(Map.of("ENABLE_BILLING", "true"));

        assertThat(update.changed()).isFalse();
        assertThat(update.backup()).isEmpty();
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void createsAMissingFileOwnerOnly() throws Exception {
        Path file = directory.resolve("sub").resolve(".env.local");

        new EnvLocalFile(file, CLOCK).set(Map.of("ENABLE_BILLING", "true"));

        assertThat(Files.readAllLines(file)).endsWith("ENABLE_BILLING=true");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void quotesOnlyWhatNeedsIt() {
        assertThat(EnvLocalFile.quoted("starter=price_1,pro=price_2")).isEqualTo("starter=price_1,pro=price_2");
        assertThat(EnvLocalFile.quoted("{\"starter\":\"price_1\"}")).isEqualTo("'{\"starter\":\"price_1\"}'");
        assertThat(EnvLocalFile.quoted("a # b")).isEqualTo("'a # b'");
        assertThat(EnvLocalFile.edited(List.of(), Map.of("A", "it's"))).contains("A=\"it's\"");
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
