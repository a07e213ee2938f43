package com.anythingagents.billing.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.events.FuzzJson;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestContextManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile and odd bodies through the real webhook, signed and unsigned: never a 5xx; a refusal is
 * a 400 in the envelope and stores nothing; an accepted event is stored byte for byte, under the
 * id its body names. Fixed cases for every class of input found in the field, then jqwik-generated
 * JSON values and random bytes. (jqwik has no Spring extension: the shared context is injected by hand.)
 */
@BillingServiceTest
class WebhookFuzzTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    ServiceSettings settings;

    @Autowired
    JdbcClient jdbc;

    @BeforeProperty
    void inject() throws Exception {
        new TestContextManager(getClass()).prepareTestInstance(this);
    }

    /** A test-mode event with a fresh id; {@code name} goes in as raw JSON text (any value). */
    private static String event(String id, String name) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"api_version\":\"2026-07-29.dahlia\",\"created\":"
                + Instant.now().getEpochSecond() + ",\"livemode\":false,\"type\":\"test.fuzz\",\"data\":{\"object\":"
                + "{\"id\":\"obj_" + id + "\",\"object\":\"customer\",\"name\":" + name
                + ",\"metadata\":{\"tenant_id\":\"acme\"}}}}";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withBytes(String json, String placeholder, byte[] inserted) {
        int at = json.indexOf(placeholder);
        byte[] head = utf8(json.substring(0, at));
        byte[] tail = utf8(json.substring(at + placeholder.length()));
        return ByteBuffer.allocate(head.length + inserted.length + tail.length)
                .put(head)
                .put(inserted)
                .put(tail)
                .array();
    }

    private String secret() {
        return settings.stripe().orElseThrow().webhookSecrets().get(0);
    }

    private HttpResponse<String> postSigned(byte[] body) {
        return SignedDelivery.post(port, body, SignedDelivery.header(secret(), Instant.now(), body));
    }

    @Test
    void acceptsValidButOddEventsAndStoresThemByteForByte() {
        List<String> names = List.of(
                "\"A\\u0000B\"", // a NUL a customer typed into their name
                "\"\\ud800\"", // an unpaired high surrogate
                "\"x\\udc00y\"", // an unpaired low surrogate
                "\"\\ud800\\u0041\"", // a high surrogate before a non-surrogate
                "\"\\ud83d\\ude00 \u00e9 \\uffff\"", // a valid pair, raw non-ASCII, a noncharacter
                "{\"k\\u0000\":1}", // a NUL in a key
                "\"\\\\u0000\"", // an escaped backslash: the text \u0000
                "1e900", // stored as 901 digits: still readable
                "-0.0000000001E-900",
                "[" + "[".repeat(50) + "]".repeat(50) + "]",
                "\"" + "\u00e9".repeat(10_000) + "\"");
        for (String name : names) {
            String id = SignedDelivery.newEventId();
            byte[] body = utf8(event(id, name));

            HttpResponse<String> response = postSigned(body);

            assertThat(response.statusCode()).as(name).isEqualTo(200);
            assertStoredAsSent(id, body);
        }
    }

    @Test
    void aNulInANameIsKeptInTheRawBytesAndReadableInTheJsonbCopy() {
        String id = SignedDelivery.newEventId();
        byte[] body = utf8(event(id, "\"A\\u0000B\""));

        assertThat(postSigned(body).statusCode()).isEqualTo(200);

        assertThat(jdbc.sql("select payload #>> '{data,object,name}' from stripe_events where stripe_event_id = ?")
                        .param(id)
                        .query(String.class)
                        .single())
                .isEqualTo("A\\u0000B");
    }

    @Test
    void refusesSignedBodiesThatCannotBeStoredAsSentWithAClear400() {
        Map<String, String> refusals = Map.ofEntries(
                Map.entry("C0AF", "not valid UTF-8"), // overlong '/'
                Map.entry("F4908080", "not valid UTF-8"), // above U+10FFFF
                Map.entry("EDA080", "not valid UTF-8"), // an encoded surrogate
                Map.entry("FF", "not valid UTF-8"));
        refusals.forEach((hex, message) -> {
            String id = SignedDelivery.newEventId();
            byte[] body = withBytes(event(id, "\"@\""), "@", HexFormat.of().parseHex(hex));
            assertRefused(postSigned(body), "malformed_event", message, id, body);
        });
        String template = event("ID", "\"Ann\"");
        Map<String, String> cases = Map.ofEntries(
                Map.entry("\"livemode\":\"yes\"", "livemode must be true or false"),
                Map.entry("\"livemode\":1", "livemode must be true or false"),
                Map.entry("\"created\":-1e12", "created must be a whole number"),
                Map.entry("\"created\":1.7e9", "created must be a whole number"),
                Map.entry("\"created\":\"1764590400\"", "created must be a whole number"),
                Map.entry("\"created\":-1", "created must be a Unix time between"),
                Map.entry("\"created\":99999999999999999999", "created must be a Unix time between"),
                Map.entry("\"created\":4102444800", "created must be a Unix time between"),
                Map.entry("\"type\":7", "type must be a string"),
                Map.entry("\"type\":{\"a\":1}", "type must be a string"),
                Map.entry("\"api_version\":[\"2026\"]", "api_version must be a string"));
        cases.forEach((field, message) -> {
            String id = SignedDelivery.newEventId();
            String original = field.substring(0, field.indexOf(':') + 1);
            String json = template.replace("ID", id).replaceFirst(original + "[^,]*", field);
            assertRefused(postSigned(utf8(json)), "malformed_event", message, id, utf8(json));
        });
        String id = SignedDelivery.newEventId();
        String numericId = event(id, "\"Ann\"").replace("\"id\":\"" + id + "\"", "\"id\":123");
        assertRefused(postSigned(utf8(numericId)), "malformed_event", "id must be a string", id, utf8(numericId));
        String objectId = event(id, "\"Ann\"").replace("\"obj_" + id + "\"", "[\"obj\"]");
        assertRefused(
                postSigned(utf8(objectId)), "malformed_event", "data.object.id must be a string", id, utf8(objectId));
        String duplicate =
                event(id, "\"Ann\"").replace("\"object\":\"event\"", "\"object\":\"event\",\"id\":\"evt_x\"");
        assertRefused(postSigned(utf8(duplicate)), "malformed_event", "duplicate key", id, utf8(duplicate));
        String deep = event(id, "[".repeat(1000) + "]".repeat(1000));
        assertRefused(postSigned(utf8(deep)), "malformed_event", "nested more than", id, utf8(deep));
        String huge = event(id, "1e999999");
        assertRefused(postSigned(utf8(huge)), "malformed_event", "once written out", id, utf8(huge));
        String longNumber = event(id, "1" + "0".repeat(5000));
        assertRefused(
                postSigned(utf8(longNumber)), "malformed_event", "longer than the parser allows", id, utf8(longNumber));
        String trailing = event(id, "\"Ann\"") + "{}";
        assertRefused(postSigned(utf8(trailing)), "malformed_event", "more data after", id, utf8(trailing));
        String liveEvent = event(id, "\"Ann\"").replace("\"livemode\":false", "\"livemode\":true");
        assertRefused(postSigned(utf8(liveEvent)), "livemode_mismatch", "live-mode event", id, utf8(liveEvent));
        byte[] bom = withBytes("@" + event(id, "\"Ann\""), "@", HexFormat.of().parseHex("EFBBBF"));
        assertRefused(postSigned(bom), "malformed_event", "byte order mark", id, bom);
        for (String charset : List.of("UTF-16", "UTF-16LE", "UTF-32BE")) {
            byte[] wide = event(id, "\"Ann\"").getBytes(Charset.forName(charset));
            assertRefused(postSigned(wide), "malformed_event", "UTF-16 or UTF-32", id, wide);
        }
        for (String notAnEvent : List.of("", " ", "[]", "null", "\"evt\"", "{}", "{\"object\":\"customer\"}")) {
            assertRefused(postSigned(utf8(notAnEvent)), "malformed_event", "", null, utf8(notAnEvent));
        }
    }

    @Test
    void refusesUnsignedAndWronglySignedHostileBodiesWithoutParsingThem() {
        String id = SignedDelivery.newEventId();
        byte[] body = withBytes(event(id, "\"@\""), "@", HexFormat.of().parseHex("C0AF"));
        assertRefused(SignedDelivery.post(port, body, null), "missing_signature", "missing", id, body);
        String forged = SignedDelivery.header("whsec_forged", Instant.now(), body);
        assertRefused(SignedDelivery.post(port, body, forged), "invalid_signature", "No signature matches", id, body);
        byte[] valid = utf8(event(id, "\"Ann\""));
        String stale = SignedDelivery.header(secret(), Instant.now().minusSeconds(3600), valid);
        assertRefused(SignedDelivery.post(port, valid, stale), "invalid_signature", "old", id, valid);
        String good = SignedDelivery.header(secret(), Instant.now(), valid);
        String manyParts = good + (",v1=" + "0".repeat(64)).repeat(40);
        assertThat(SignedDelivery.post(port, valid, manyParts).statusCode()).isEqualTo(200);
        assertStoredAsSent(id, valid);
        String other = SignedDelivery.newEventId();
        byte[] next = utf8(event(other, "\"Ann\""));
        String signed = SignedDelivery.header(secret(), Instant.now(), next);
        assertRefused(
                SignedDelivery.post(port, next, "t=1," + signed), "invalid_signature", "more than one", other, next);
        String oversized = signed + ",x=" + "a".repeat(WebhookSignature.MAX_HEADER_LENGTH);
        assertRefused(SignedDelivery.post(port, next, oversized), "invalid_signature", "longer than", other, next);
        for (String header : List.of("t=99999999999999999999,v1=" + "0".repeat(64), "t=-5,v1=00", ",,,=,=", "v1=")) {
            assertRefused(SignedDelivery.post(port, next, header), "invalid_signature", "", other, next);
        }
    }

    @Property(tries = 150)
    void anySignedJsonValueInAnEventIsStoredAsSentOrRefusedWithA400(@ForAll("jsonValues") String value) {
        String id = SignedDelivery.newEventId();
        byte[] body = utf8(event(id, value));

        HttpResponse<String> response = postSigned(body);

        if (response.statusCode() == 200) {
            assertStoredAsSent(id, body);
        } else {
            assertRefused(response, "malformed_event", "", id, body);
        }
    }

    @Property(tries = 150)
    void anySignedBytesAreRefusedWithA400AndNotStored(@ForAll("bytes") byte[] body) {
        assertRefused(postSigned(body), "malformed_event", "", null, body);
    }

    @Property(tries = 100)
    void anyUnsignedBytesAreRefusedWithA400AndNotStored(@ForAll("bytes") byte[] body) {
        String header = "t=" + Instant.now().getEpochSecond() + ",v1="
                + UUID.randomUUID().toString().replace("-", "").repeat(2);
        assertRefused(SignedDelivery.post(port, body, header), "invalid_signature", "", null, body);
    }

    @Provide
    Arbitrary<String> jsonValues() {
        return FuzzJson.values();
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return FuzzJson.utf8ishBytes();
    }

    private void assertStoredAsSent(String id, byte[] body) {
        Map<String, Object> row = jdbc.sql(
                        "select stripe_event_id, payload_raw, payload->>'id' as payload_id, tenant_hint"
                                + " from stripe_events where stripe_event_id = ?")
                .param(id)
                .query()
                .singleRow();
        assertThat(row.get("stripe_event_id")).isEqualTo(id);
        assertThat((byte[]) row.get("payload_raw")).isEqualTo(body);
        assertThat(row.get("payload_id")).isEqualTo(id);
        assertThat(row.get("tenant_hint")).isEqualTo("acme");
    }

    private void assertRefused(HttpResponse<String> response, String error, String message, String id, byte[] body) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode envelope = JSON.readTree(response.body());
        assertThat(envelope.get("error").asString()).isEqualTo(error);
        assertThat(envelope.get("message").asString()).contains(message);
        if (id != null) {
            assertThat(jdbc.sql("select count(*) from stripe_events where stripe_event_id = ?")
                            .param(id)
                            .query(Long.class)
                            .single())
                    .isZero();
        }
        if (body.length > 0) {
            assertThat(jdbc.sql("select count(*) from stripe_events where payload_raw = ?")
                            .param(body)
                            .query(Long.class)
                            .single())
                    .isZero();
        }
    }
}
