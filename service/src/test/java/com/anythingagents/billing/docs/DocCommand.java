package com.anythingagents.billing.docs;

import java.util.OptionalInt;

/**
 * A command a document shows: where ({@code file:line}), its text as written (prompt, comment and
 * line continuations removed), and the exit code its transcript shows, if it shows one.
 */
record DocCommand(String file, int line, String text, OptionalInt expectedExit) {

    String where() {
        return file + ":" + line;
    }

    int exitExpected() {
        return expectedExit.orElse(0);
    }
}
