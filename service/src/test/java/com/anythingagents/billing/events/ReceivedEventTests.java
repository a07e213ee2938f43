package com.anythingagents.billing.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anythingagents.billing.events.MalformedEventException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What intake accepts as a Stripe event, and how it refuses the rest: with a reason, never echoing input. */
class ReceivedEventTests {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    static final String BASE = "{\"id\":\"evt_1\",\"object\":\"event\",\"api_version\":\"2026-07-29.dahlia\","
            + "\"created\":1764590400,\"livemode\":false,\"type\":\"customer.updated\",\"data\":{\"object\":"
            + "{\"id\":\"cus_1\",\"object\":\"customer\",\"name\":\"Ann\",\"metadata\":{\"tenant_id\":\"acme\"}}}}";

    private static ReceivedEvent parse(String json) {
        return ReceivedEvent.parse(json.getBytes(StandardCharsets.UTF_8), NOW);
    }

    private static ReceivedEvent parse(byte[] body) {
        return ReceivedEvent.parse(body, NOW);
    }

    private static String with(String from, String to) {
        assertThat(BASE).contains(from);
        return BASE.replace(from, to);
    }

    private static MalformedEventException refused(byte[] body) {
        MalformedEventException refused = catchThrowableOfType(MalformedEventException.class, () -> parse(body));
        assertThat(refused).as(new String(body, StandardCharsets.ISO_8859_1)).isNotNull();
        return refused;
    }

    private static MalformedEventException refused(String json) {
        return refused(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String json, Reason reason, String message) {
        MalformedEventException refused = refused(json);
        assertThat(refused.reason()).as(json).isEqualTo(reason);
        assertThat(refused.getMessage()).as(json).contains(message);
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        byte[] head = before.getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(head.length + middle.length + tail.length)
                .put(head)
                .put(middle)
                .put(tail)
                .array();
    }

    @Test
    void readsTheIndexedColumnsAndKeepsTheBytes() {
        byte[] body = BASE.getBytes(StandardCharsets.UTF_8);

        ReceivedEvent event = parse(body);

        assertThat(event.id()).isEqualTo("evt_1");
        assertThat(event.type()).isEqualTo("customer.updated");
        assertThat(event.apiVersion()).contains("2026-07-29.dahlia");
        assertThat(event.livemode()).isFalse();
        assertThat(event.created()).isEqualTo(Instant.ofEpochSecond(1764590400));
        assertThat(event.objectId()).contains("cus_1");
        assertThat(event.tenantHint()).contains("acme");
        assertThat(event.payload()).isSameAs(body);
        assertThat(event.jsonbText()).isEmpty();
    }

    @Test
    void acceptsEveryFixtureAsSent() throws Exception {
        for (Path file : StripeFixtures.all()) {
            byte[] body = Files.readAllBytes(file);
            ReceivedEvent event = ReceivedEvent.parse(body, JsonMapper.builder().build());
            assertThat(event.payload()).isEqualTo(body);
            assertThat(event.id()).startsWith("evt_");
            assertThat(event.jsonbText()).isEmpty();
        }
    }

    @Test
    void acceptsNulEscapesAndEscapesThemOnlyInTheJsonbCopy() {
        String json = with("\"Ann\"", "\"A\\u0000nn\"").replace("\"acme\"", "\"acme\"},\"k\\u0000\":{\"x\":1");

        ReceivedEvent event = parse(json);

        assertThat(new String(event.payload(), StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(event.jsonbText()).contains(json.replace("\\u0000", "\\\\u0000"));
    }

    @Test
    void acceptsUnpairedSurrogateEscapesAndEscapesThemOnlyInTheJsonbCopy() {
        for (String name :
                List.of("\\ud800", "\\udc00", "x\\ud800\\u0041", "\\udbff\\udbff\\udc00", "\\udc00\\ud800")) {
            String json = with("\"Ann\"", "\"" + name + "\"");

            ReceivedEvent event = parse(json);

            assertThat(event.jsonbText()).as(name).isPresent();
            assertThat(event.jsonbText().orElseThrow()).as(name).doesNotContain("\"" + name + "\"");
        }
        assertThat(parse(with("\"Ann\"", "\"\\ud83d\\ude00\"")).jsonbText()).isEmpty();
        // an escaped backslash followed by u0000 is text, not an escape
        assertThat(parse(with("\"Ann\"", "\"\\\\u0000\"")).jsonbText()).isEmpty();
        assertThat(parse(with("\"Ann\"", "\"\\\\\\u0000\"")).jsonbText())
                .contains(with("\"Ann\"", "\"\\\\\\\\u0000\""));
    }

    @Test
    void refusesInvalidUtf8() {
        List<String> invalid = List.of(
                "C0AF", // overlong '/'
                "E080AF", // overlong 3-byte
                "F08080AF", // overlong 4-byte
                "EDA080", // an encoded UTF-16 surrogate
                "F4908080", // above U+10FFFF
                "F5808080", // no such lead byte
                "FF",
                "80", // a lone continuation byte
                "E282" // a truncated sequence
                );
        for (String hex : invalid) {
            byte[] body = concat(
                    BASE.substring(0, BASE.indexOf("Ann")), HexFormat.of().parseHex(hex), "\"}}}");
            MalformedEventException refused = refused(body);
            assertThat(refused.reason()).as(hex).isEqualTo(Reason.NOT_UTF8);
            assertThat(refused.getMessage()).isEqualTo("The body is not valid UTF-8");
        }
        // the largest code point and the last before the surrogates are fine
        assertThat(parse(concat(
                        BASE.substring(0, BASE.indexOf("Ann")), HexFormat.of().parseHex("F48FBFBFED9FBF"), "\"}}}")))
                .isNotNull();
    }

    @Test
    void refusesByteOrderMarksAndOtherEncodings() {
        byte[] bom = concat("", HexFormat.of().parseHex("EFBBBF"), BASE);
        assertThat(refused(bom).reason()).isEqualTo(Reason.BYTE_ORDER_MARK);
        for (String charset : List.of("UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32", "UTF-32LE", "UTF-32BE")) {
            MalformedEventException refused = refused(BASE.getBytes(Charset.forName(charset)));
            assertThat(refused.reason()).as(charset).isEqualTo(Reason.NOT_UTF8);
            assertThat(refused.getMessage()).as(charset).contains("UTF-16 or UTF-32");
        }
    }

    @Test
    void livemodeMustBeABoolean() {
        for (String value : List.of("\"yes\"", "\"true\"", "1", "0", "null", "[]", "{}")) {
            assertRefused(with("\"livemode\":false", "\"livemode\":" + value), Reason.INVALID_FIELD, "livemode");
        }
        assertRefused(with("\"livemode\":false,", ""), Reason.NOT_AN_EVENT, "livemode");
        assertThat(parse(with("\"livemode\":false", "\"livemode\":true")).livemode())
                .isTrue();
    }

    @Test
    void createdMustBeWholeSecondsFrom2009To2100() {
        for (String value : List.of(
                "1.7649e9",
                "1764590400.0",
                "\"1764590400\"",
                "-1e12",
                "-1",
                "0",
                "1230767999",
                "4102444800",
                "99999999999999999999999",
                "9223372036854775807",
                "null")) {
            assertRefused(with("\"created\":1764590400", "\"created\":" + value), Reason.INVALID_FIELD, "created");
        }
        assertThat(parse(with("\"created\":1764590400", "\"created\":1230768000"))
                        .created())
                .isEqualTo(Instant.parse("2009-01-01T00:00:00Z"));
        // a test clock dates test-mode events in the future
        assertThat(parse(with("\"created\":1764590400", "\"created\":4102444799"))
                        .created())
                .isEqualTo(Instant.parse("2099-12-31T23:59:59Z"));
    }

    @Test
    void aLiveEventIsCreatedAtMostADayAfterItIsReceived() {
        String live = with("\"livemode\":false", "\"livemode\":true");
        long dayAhead = NOW.plusSeconds(86_400).getEpochSecond();

        assertThat(parse(live.replace("1764590400", String.valueOf(dayAhead))).created())
                .isEqualTo(NOW.plusSeconds(86_400));
        assertRefused(live.replace("1764590400", String.valueOf(dayAhead + 1)), Reason.INVALID_FIELD, "live event");
    }

    @Test
    void idsAndTypesMustBeCleanStrings() {
        List<String> bad = List.of(
                "123",
                "null",
                "[]",
                "{}",
                "\"\"",
                "\"  \"",
                "\"" + "x".repeat(256) + "\"",
                "\"evt\\u0000\"",
                "\"evt\\n\"",
                "\"\\ud800\"",
                "true");
        for (String value : bad) {
            assertRefused(with("\"id\":\"evt_1\"", "\"id\":" + value), Reason.INVALID_FIELD, "id must be a string");
            assertRefused(
                    with("\"type\":\"customer.updated\"", "\"type\":" + value),
                    Reason.INVALID_FIELD,
                    "type must be a string");
            if (!value.equals("null")) {
                assertRefused(
                        with("\"api_version\":\"2026-07-29.dahlia\"", "\"api_version\":" + value),
                        Reason.INVALID_FIELD,
                        "api_version must be a string");
                assertRefused(
                        with("\"id\":\"cus_1\"", "\"id\":" + value),
                        Reason.INVALID_FIELD,
                        "data.object.id must be a string");
            }
        }
        // optional ones may be null or absent
        assertThat(parse(with("\"2026-07-29.dahlia\"", "null")).apiVersion()).isEmpty();
        assertThat(parse(with("\"id\":\"cus_1\",", "")).objectId()).isEmpty();
        assertThat(parse(with("\"id\":\"cus_1\"", "\"id\":null")).objectId()).isEmpty();
        // an object that is not the event's data.object may have any id
        assertThat(parse(with("\"name\":\"Ann\"", "\"name\":{\"id\":5}")).objectId())
                .contains("cus_1");
    }

    @Test
    void readsTheCustomerAsTheWorkerDoes() throws Exception {
        assertThat(parse(BASE).customerId()).contains("cus_1");
        String invoice = with("\"object\":\"customer\"", "\"object\":\"invoice\"");
        assertThat(parse(invoice).customerId()).isEmpty();
        assertThat(parse(invoice.replace("\"name\":\"Ann\"", "\"customer\":\"cus_2\""))
                        .customerId())
                .contains("cus_2");
        assertThat(parse(invoice.replace("\"name\":\"Ann\"", "\"customer\":{\"id\":\"cus_3\",\"object\":\"customer\"}"))
                        .customerId())
                .contains("cus_3");
        assertThat(parse(invoice.replace("\"name\":\"Ann\"", "\"customer\":null"))
                        .customerId())
                .isEmpty();
        JsonMapper json = JsonMapper.builder().build();
        for (Path file : StripeFixtures.all()) {
            byte[] body = Files.readAllBytes(file);
            assertThat(ReceivedEvent.parse(body, json).customerId())
                    .as(file.toString())
                    .isEqualTo(StripeEventParser.parse(json.readTree(body)).customerId());
        }
    }

    @Test
    void theTenantHintIsACleanStringOrNoHint() {
        for (String value : List.of("5", "\"\"", "\"acme\\u0000\"", "[\"acme\"]", "null", "\"a\\nb\"")) {
            ReceivedEvent event = parse(with("\"tenant_id\":\"acme\"", "\"tenant_id\":" + value));
            assertThat(event.tenantHint()).as(value).isEmpty();
        }
        // only data.object.metadata.tenant_id is the hint
        assertThat(parse(with("\"metadata\":{\"tenant_id\":\"acme\"}", "\"metadata\":{},\"tenant_id\":\"acme\""))
                        .tenantHint())
                .isEmpty();
    }

    @Test
    void refusesDuplicateKeysAtAnyDepth() {
        assertRefused(with("\"id\":\"evt_1\"", "\"id\":\"evt_1\",\"id\":\"evt_2\""), Reason.DUPLICATE_KEY, "duplicate");
        assertRefused(
                with("\"tenant_id\":\"acme\"", "\"tenant_id\":\"acme\",\"tenant_id\":\"evil\""),
                Reason.DUPLICATE_KEY,
                "duplicate");
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        // root, data, data.object: three levels before the name's value
        int room = ReceivedEvent.MAX_DEPTH - 3;
        assertThat(parse(with("\"Ann\"", "[".repeat(room) + "]".repeat(room)))).isNotNull();
        assertRefused(
                with("\"Ann\"", "[".repeat(room + 1) + "]".repeat(room + 1)), Reason.TOO_DEEP, "nested more than");
        assertRefused(with("\"Ann\"", "[".repeat(100_000)), Reason.TOO_DEEP, "nested more than");
    }

    @Test
    void refusesNumbersLongerThanAThousandDigitsWrittenOut() {
        assertThat(parse(with("\"Ann\"", "1e995"))).isNotNull();
        assertThat(parse(with("\"Ann\"", "-1.5E-990"))).isNotNull();
        assertThat(parse(with("\"Ann\"", "1" + "0".repeat(999)))).isNotNull();
        for (String number : List.of(
                "1e996", "1E-10001", "1e10000", "1e+999999999999", "1" + "0".repeat(1000), "0." + "1".repeat(1000))) {
            assertRefused(with("\"Ann\"", number), Reason.NUMBER_OUT_OF_RANGE, "longer than");
        }
    }

    @Test
    void refusesWhatIsNotOneJsonObject() {
        assertRefused("", Reason.EMPTY, "empty");
        assertRefused("  \n", Reason.EMPTY, "empty");
        for (String notAnObject : List.of("[]", "\"event\"", "null", "42", "true")) {
            assertRefused(notAnObject, Reason.NOT_AN_EVENT, "not a Stripe event");
        }
        assertRefused(BASE + " {}", Reason.NOT_JSON, "more data after");
        assertThat(parse(BASE + "\r\n")).isNotNull();
        for (String broken :
                List.of("{", BASE.substring(0, 40), "{'id':1}", "{\"a\":NaN}", "{\"a\":\"\u0001\"}", "{\"a\":01}")) {
            assertRefused(broken, Reason.NOT_JSON, "not valid JSON");
        }
        assertRefused(with("\"object\":\"event\"", "\"object\":\"customer\""), Reason.NOT_AN_EVENT, "object must be");
        assertRefused(with("\"data\":{\"object\":{", "\"data\":{\"x\":{"), Reason.NOT_AN_EVENT, "data.object");
        assertRefused("{\"object\":\"event\",\"data\":[]}", Reason.INVALID_FIELD, "data must be");
        assertRefused(
                "{\"object\":\"event\",\"data\":{\"object\":\"x\"}}", Reason.INVALID_FIELD, "data.object must be");
    }

    @Test
    void messagesNeverQuoteTheBody() {
        String marker = "SECRET_MARKER_7f3a";
        for (String body : List.of(
                "{\"" + marker + "\":1,\"" + marker + "\":2}",
                "{\"object\":\"" + marker,
                "{\"object\":\"event\",\"id\":\"" + marker + "\u0001\"}",
                with("\"Ann\"", "\"" + marker + "\" " + marker),
                with("\"livemode\":false", "\"livemode\":\"" + marker + "\""),
                "[".repeat(200) + marker)) {
            assertThat(refused(body).getMessage()).doesNotContain(marker);
        }
    }

    @Property(tries = 2000)
    void strictUtf8AgreesWithTheJdkDecoder(@ForAll("utf8ish") byte[] bytes) {
        assertThat(ReceivedEvent.strictUtf8(bytes)).isEqualTo(jdkDecodes(bytes));
    }

    @Property(tries = 500)
    void anyBytesAreAnEventOrRefusedWithAReason(@ForAll("utf8ish") byte[] bytes) {
        try {
            parse(bytes);
        } catch (MalformedEventException expected) {
            assertThat(expected.reason()).isNotNull();
        }
    }

    @Property(tries = 500)
    void anyJsonValueInsideAnEventIsAcceptedOrRefusedWithAReason(@ForAll("jsonValues") String value) {
        String json = with("\"Ann\"", value);
        try {
            ReceivedEvent event = parse(json);
            assertThat(event.id()).isEqualTo("evt_1");
            assertThat(event.payload()).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
        } catch (MalformedEventException expected) {
            assertThat(expected.reason()).isNotNull();
        }
    }

    @Provide
    Arbitrary<byte[]> utf8ish() {
        return FuzzJson.utf8ishBytes();
    }

    @Provide
    Arbitrary<String> jsonValues() {
        return FuzzJson.values();
    }

    private static boolean jdkDecodes(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException ex) {
            return false;
        }
    }
}
