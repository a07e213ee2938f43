package com.anythingagents.billing.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFilesTests {

    @TempDir
    Path directory;

    private void write(String name, String... lines) throws IOException {
        Files.write(directory.resolve(name), java.util.List.of(lines));
    }

    @Test
    void envLocalOverridesEnvAndEnvironmentOverridesBoth() throws IOException {
        write(".env", "A=from-env", "B=from-env", "C=from-env");
        write(".env.local", "B=from-local", "C=from-local");

        assertThat(EnvFiles.read(directory)).containsEntry("A", "from-env").containsEntry("B", "from-local");
        assertThat(EnvFiles.withEnvironment(directory, Map.of("C", "from-environment")))
                .containsEntry("A", "from-env")
                .containsEntry("B", "from-local")
                .containsEntry("C", "from-environment");
    }

    @Test
    void missingFilesReadAsNothing() {
        assertThat(EnvFiles.read(directory)).isEmpty();
        assertThat(EnvFiles.withEnvironment(directory, Map.of("X", "1"))).containsExactly(Map.entry("X", "1"));
    }

    @Test
    void readsBothPriceMapFormsFromAFile() throws IOException {
        write(
                ".env",
                "PAIRS=starter=price_a,pro=price_b",
                "JSON_BARE={\"starter\":\"price_a\",\"pro\":\"price_b\"}",
                "JSON_SINGLE='{\"starter\": \"price_a\", \"pro\": \"price_b\"}'",
                "JSON_DOUBLE=\"{\\\"starter\\\":\\\"price_a\\\",\\\"pro\\\":\\\"price_b\\\"}\"");

        Map<String, String> values = EnvFiles.read(directory);

        for (String name : new String[] {"PAIRS", "JSON_BARE", "JSON_SINGLE", "JSON_DOUBLE"}) {
            var problems = new ArrayList<String>();
            assertThat(PriceMap.parse(values.get(name), problems))
                    .as(name + " = " + values.get(name))
                    .hasValueSatisfying(map -> assertThat(map.pricesByPlan())
                            .containsExactly(Map.entry("starter", "price_a"), Map.entry("pro", "price_b")));
        }
    }

    @Test
    void unquotesSingleAndDoubleQuotesWithEscapes() throws IOException {
        write(
                ".env",
                "SINGLE='a \"quoted\" # not a comment'",
                "DOUBLE=\"say \\\"hi\\\" c:\\\\dir\"",
                "EMPTY=",
                "SPACED =  value with spaces  ");

        assertThat(EnvFiles.read(directory))
                .containsEntry("SINGLE", "a \"quoted\" # not a comment")
                .containsEntry("DOUBLE", "say \"hi\" c:\\dir")
                .containsEntry("EMPTY", "")
                .containsEntry("SPACED", "value with spaces");
    }

    @Test
    void skipsCommentsAndBlankLinesAndStripsExportAndTrailingComments() throws IOException {
        write(
                ".env",
                "# a comment",
                "",
                "   # indented comment",
                "export STRIPE_SECRET_KEY=sk_test_abc",
                "PORT=8080 # the HTTP port",
                "not a variable line");

        assertThat(EnvFiles.read(directory))
                .containsExactly(Map.entry("STRIPE_SECRET_KEY", "sk_test_abc"), Map.entry("PORT", "8080"));
    }
}
