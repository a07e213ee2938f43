package com.anythingagents.billing.events;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of hostile input for the intake: JSON values that are valid but odd (NUL and unpaired
 * surrogate escapes, huge or tiny numbers, deep nesting, duplicate keys) or subtly invalid (raw
 * control characters), and byte strings that are nearly UTF-8.
 */
public final class FuzzJson {

    private static final String[] ESCAPES = {
        "\\u0000",
        "\\ud800",
        "\\udc00",
        "\\ud83d\\ude00",
        "\\udbff\\udfff",
        "\\uffff",
        "\\ufffe",
        "\\\\",
        "\\\"",
        "\\/",
        "\\b",
        "\\f",
        "\\n",
        "\\r",
        "\\t",
        "\\u00e9",
        "\\\\u0000",
        "é",
        "😀",
        "\u2028",
        "\u0000",
        "\u0007",
        "\t"
    };

    private static final String[] BYTE_PIECES = {
        "C0AF", "E080AF", "F08080AF", "EDA080", "EDBFBF", "F4908080", "F48FBFBF", "EFBFBF", "EFBBBF", "C2", "E2", "F0",
        "80", "BF", "FE", "FF", "00", "41", "7B", "22", "5C", "C3A9", "E282AC", "F09F9880"
    };

    private FuzzJson() {}

    /** JSON values up to four levels deep, of every kind. */
    public static Arbitrary<String> values() {
        return value(4);
    }

    private static Arbitrary<String> value(int depth) {
        Arbitrary<String> scalar = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of("null", "true", "false")), Tuple.of(3, numbers()), Tuple.of(4, strings()));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> array = Arbitraries.lazy(() -> value(depth - 1))
                .list()
                .ofMaxSize(4)
                .map(items -> "[" + String.join(",", items) + "]");
        Arbitrary<String> object = Combinators.combine(
                        Arbitraries.frequencyOf(
                                Tuple.of(3, Arbitraries.of("\"a\"", "\"b\"", "\"id\"", "\"tenant_id\"")),
                                Tuple.of(1, strings())),
                        Arbitraries.lazy(() -> value(depth - 1)))
                .as((key, item) -> key + ":" + item)
                .list()
                .ofMaxSize(4)
                .map(members -> "{" + String.join(",", members) + "}");
        Arbitrary<String> deep =
                Arbitraries.integers().between(1, 200).map(levels -> "[".repeat(levels) + "]".repeat(levels));
        return Arbitraries.frequencyOf(Tuple.of(4, scalar), Tuple.of(2, array), Tuple.of(2, object), Tuple.of(1, deep));
    }

    /** JSON strings made of plain text, escapes of every sort and some raw characters JSON forbids. */
    public static Arbitrary<String> strings() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.strings().alpha().numeric().ofMaxLength(5)),
                Tuple.of(4, Arbitraries.of(ESCAPES)),
                Tuple.of(2, Arbitraries.integers().between(0, 0xFFFF).map(u -> String.format("\\u%04x", u))),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(2)));
        return piece.list().ofMaxSize(6).map(parts -> "\"" + String.join("", parts) + "\"");
    }

    /** Numbers from tiny to far beyond PostgreSQL's numeric range, in every JSON notation. */
    public static Arbitrary<String> numbers() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().map(String::valueOf)),
                Tuple.of(
                        1,
                        Arbitraries.strings()
                                .numeric()
                                .ofMinLength(1)
                                .ofMaxLength(1100)
                                .map(d -> "1" + d)),
                Tuple.of(
                        2,
                        Arbitraries.doubles().map(String::valueOf).filter(d -> !d.contains("N") && !d.contains("I"))),
                Tuple.of(
                        2,
                        Combinators.combine(
                                        Arbitraries.of("1", "-1", "0.5", "-0", "9.99"),
                                        Arbitraries.of("e", "E", "e+", "e-", "E-"),
                                        Arbitraries.integers().between(0, 20_000))
                                .as((m, e, x) -> m + e + x)));
    }

    /** Byte strings near UTF-8: valid sequences, overlong and truncated ones, surrogates, BOMs, NULs. */
    public static Arbitrary<byte[]> utf8ishBytes() {
        Arbitrary<byte[]> pieces = Arbitraries.of(BYTE_PIECES)
                .list()
                .ofMinSize(1)
                .ofMaxSize(8)
                .map(list -> HexFormat.of().parseHex(String.join("", list)));
        return Arbitraries.oneOf(
                pieces,
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                Arbitraries.strings().all().ofMaxLength(16).map(s -> s.getBytes(StandardCharsets.UTF_8)));
    }
}
