package com.anythingagents.billing.docs;

import java.util.OptionalInt;

/**
 * A command a document shows: where ({@code file:line}), its text as written (prompt, comment and
 * line continuations removed), the exit code its transcript shows, if it shows one, and the shell
 * variables its block set before it ({@code TOKEN=$(make -s token)}), which it may use.
 */
record DocCommand(String file, int line, String text, OptionalInt expectedExit, String context) {

    DocCommand(String file, int line, String text, OptionalInt expectedExit) {
        this(file, line, text, expectedExit, "");
    }

    String where() {
        return file + ":" + line;
    }

    int exitExpected() {
        return expectedExit.orElse(0);
    }
}
