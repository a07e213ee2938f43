package com.anythingagents.billing.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check on a small repository: what runs as shown passes, a stale line fails by file:line. */
class DocsCheckTests {

    @TempDir
    Path repository;

    @Test
    void failsNamingTheStaleLineAndPassesWhatRunsAsShown() throws Exception {
        Files.writeString(repository.resolve("Makefile"), """
                hello:
                \t@echo hello
                fails:
                \t@echo boom; exit 3
                clean:
                \t@echo cleaning
                """);
        Files.writeString(repository.resolve("README.md"), """
                # A repository
                Say `make hello`, or `make clean` (not run).

                ```sh
                make hello            # says hello
                make gone
                ```

                ```
                $ make fails
                boom
                (exit 2)
                ```
                """);
        Files.createDirectories(repository.resolve("docs/more"));
        Files.writeString(repository.resolve("docs/more/guide.md"), "Then `make test`.\n");
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        boolean passed = new DocsCheck(repository, new PrintStream(output, true, StandardCharsets.UTF_8))
                .run(DocsCheck.documents(repository));

        String report = output.toString(StandardCharsets.UTF_8);
        assertThat(passed).as(report).isFalse();
        assertThat(report)
                .contains("ok      README.md:2")
                .contains("allowed README.md:2")
                .contains("ok      README.md:5")
                .contains("ok      README.md:10")
                .contains("STALE   README.md:6")
                .contains("No rule to make target")
                .contains("STALE   docs/more/guide.md:1")
                .contains("the target is gone")
                .contains("Allow-list (not run;")
                .contains("2 stale.")
                .contains("STALE README.md:6  make gone")
                .contains("STALE docs/more/guide.md:1  make test");
    }
}
