package com.anythingagents.billing.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Which lines of a document the docs check takes for commands, and what it expects of them. */
class DocsCommandsTests {

    private static final List<String> DOC = List.of(
            "# Title", // 1
            "Run `make run` first; `replay list` is not a whole command, `make token ARGS=\"…\"` is.", // 2
            "", // 3
            "```sh", // 4
            "make doctor                 # checks everything", // 5
            "STRIPE_SECRET_KEY=rk_test_…", // 6
            "DATABASE_URL=postgresql://x@h/db make migrate", // 7 (TOKEN below is set for the next lines)
            "curl -H \"Authorization: Bearer $(make -s token)\" \\", // 8
            "  localhost:8000/api/v1/billing/plans", // 9
            "printf 'a\\nb\\n' | make stripe-setup ARGS=\"--interactive\"", // 10
            "```", // 11
            "```", // 12
            "$ java -jar service/target/billing-service.jar replay --event-id evt_1 # no terminal", // 13
            "Replay 1 event(s) now? [y/N]", // 14
            "(exit 1)", // 15
            "$ make doctor", // 16
            "make run is not a command in a transcript's output", // 17
            "```", // 18
            "```json", // 19
            "{\"make\": \"no\"}", // 20
            "```", // 21
            "| `make stripe-replay ARGS=\"list --status failed\"` | replays |"); // 22

    @Test
    void findsCommandsInShellBlocksTranscriptsAndCodeSpans() {
        List<DocCommand> commands = DocsCommands.extract("README.md", DOC);

        assertThat(commands)
                .extracting(DocCommand::line, DocCommand::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2, "make run"),
                        org.assertj.core.groups.Tuple.tuple(2, "make token ARGS=\"…\""),
                        org.assertj.core.groups.Tuple.tuple(5, "make doctor"),
                        org.assertj.core.groups.Tuple.tuple(7, "DATABASE_URL=postgresql://x@h/db make migrate"),
                        org.assertj.core.groups.Tuple.tuple(
                                8,
                                "curl -H \"Authorization: Bearer $(make -s token)\"  localhost:8000/api/v1/billing/plans"),
                        org.assertj.core.groups.Tuple.tuple(
                                10, "printf 'a\\nb\\n' | make stripe-setup ARGS=\"--interactive\""),
                        org.assertj.core.groups.Tuple.tuple(
                                13, "java -jar service/target/billing-service.jar replay --event-id evt_1"),
                        org.assertj.core.groups.Tuple.tuple(16, "make doctor"),
                        org.assertj.core.groups.Tuple.tuple(22, "make stripe-replay ARGS=\"list --status failed\""));
    }

    @Test
    void aTranscriptCommandExpectsTheExitItShows() {
        List<DocCommand> commands = DocsCommands.extract("README.md", DOC);

        assertThat(commands.stream()
                        .filter(c -> c.line() == 13)
                        .findFirst()
                        .orElseThrow()
                        .expectedExit())
                .isEqualTo(OptionalInt.of(1));
        assertThat(commands.stream()
                        .filter(c -> c.line() == 16)
                        .findFirst()
                        .orElseThrow()
                        .exitExpected())
                .isZero();
    }

    @Test
    void aBlocksShellVariablesComeWithTheCommandsAfterThem() {
        List<DocCommand> commands = DocsCommands.extract(
                "README.md",
                List.of(
                        "```sh",
                        "TOKEN=$(make -s token)          # owner of tenant acme",
                        "API=localhost:8000/api/v1/billing",
                        "curl -s -H \"Authorization: Bearer $TOKEN\" $API/plans",
                        "STRIPE_SECRET_KEY=rk_test_…",
                        "make doctor",
                        "```"));

        assertThat(commands)
                .extracting(DocCommand::line, DocCommand::context)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                4, "TOKEN=$(make -s token)\nAPI=localhost:8000/api/v1/billing"),
                        org.assertj.core.groups.Tuple.tuple(
                                6, "TOKEN=$(make -s token)\nAPI=localhost:8000/api/v1/billing"));
    }

    @Test
    void aHashInsideQuotesIsNotAComment() {
        assertThat(DocsCommands.withoutComment("make x ARGS=\"--note '#1'\" # comment"))
                .isEqualTo("make x ARGS=\"--note '#1'\" ");
    }
}
