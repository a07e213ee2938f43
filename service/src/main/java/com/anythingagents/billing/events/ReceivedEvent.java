package com.anythingagents.billing.events;

import com.anythingagents.billing.events.MalformedEventException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Stripe event as it arrives: exactly the bytes received (stored untouched), and the few columns
 * the store indexes, read in one streaming pass that refuses what could not be stored faithfully.
 *
 * <p>Accepted: UTF-8 without a byte order mark, strictly (no overlong forms, encoded surrogates or
 * code points above U+10FFFF); one JSON object and nothing after it; no duplicate keys (readers
 * disagree on which one wins, so the stored columns could disagree with a later reading of the
 * bytes); at most {@value #MAX_DEPTH} levels; numbers of at most {@value #MAX_NUMBER_DIGITS} digits
 * once written out (as the jsonb copy stores them and the worker reads them back). {@code object} is
 * {@code "event"}; {@code id} and {@code type} are strings of 1 to {@value #MAX_ID_LENGTH}
 * characters without control characters or unpaired surrogates, {@code api_version} and
 * {@code data.object.id} are too when present (or null); {@code livemode} is true or false;
 * {@code created} a whole number of seconds from 2009-01-01 to 2100, and for a live event at most a
 * day after it is received (a test clock dates test-mode events in the future; a live event from the
 * future is a mistake); {@code data.object} an object. {@code \u0000} and unpaired surrogate
 * escapes are valid JSON and accepted: only the jsonb copy spells them differently ({@link #jsonbText}).
 *
 * @param tenantHint {@code data.object.metadata.tenant_id} when it is such a clean string: an
 *     unverified hint (anyone who can set metadata can set it), never a reason to refuse an event
 * @param customerId the Stripe customer of {@code data.object} (its {@code customer}, as an id or
 *     expanded, or the object itself when it is a customer) when it is a clean string: the worker
 *     orders a customer's events by it, and having it from the intake keeps the claim from reading
 *     the payload
 * @param payload exactly the bytes received
 */
public record ReceivedEvent(
        String id,
        String type,
        Optional<String> apiVersion,
        boolean livemode,
        Instant created,
        Optional<String> objectId,
        Optional<String> tenantHint,
        Optional<String> customerId,
        byte[] payload) {

    static final int MAX_ID_LENGTH = 255;

    static final int MAX_DEPTH = 64;

    static final int MAX_NUMBER_DIGITS = 1000;

    /** Stripe did not exist before; anything earlier is a unit mistake (milliseconds read as seconds…). */
    static final Instant EARLIEST_CREATED = Instant.parse("2009-01-01T00:00:00Z");

    /** Far inside PostgreSQL's timestamptz and Instant; live webhooks are bounded by their receipt time. */
    static final Instant LATEST_CREATED = Instant.parse("2100-01-01T00:00:00Z");

    // UTF-8 only (checked strictly before parsing), so no charset detection; duplicate keys refused
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(TokenStreamFactory.Feature.CHARSET_DETECTION)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * A webhook delivery received at {@code receivedAt}: a live event's {@code created} may be at
     * most a day ahead of it (clock skew), never more.
     *
     * @throws MalformedEventException when the bytes are not a Stripe event the store can keep as sent
     */
    public static ReceivedEvent parse(byte[] payload, Instant receivedAt) {
        return read(payload, receivedAt.plus(1, ChronoUnit.DAYS));
    }

    /**
     * An event from Stripe's Events API (the backfill), with no receipt time of its own; the mapper
     * is not needed any more and is kept so that callers need not change.
     *
     * @throws MalformedEventException when the bytes are not a Stripe event the store can keep as sent
     */
    public static ReceivedEvent parse(byte[] payload, JsonMapper unused) {
        return read(payload, Instant.MAX);
    }

    private static ReceivedEvent read(byte[] payload, Instant latestLive) {
        checkEncoding(payload);
        Columns columns = new Columns(latestLive);
        try (JsonParser parser = JSON.createParser(payload)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw malformed(Reason.EMPTY, "The body is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw malformed(Reason.NOT_AN_EVENT, "The body is not a Stripe event (a JSON object)");
            }
            walk(parser, columns);
            if (parser.nextToken() != null) {
                throw malformed(Reason.NOT_JSON, "The body has more data after the JSON object");
            }
        } catch (StreamConstraintsException ex) {
            throw malformed(Reason.NUMBER_OUT_OF_RANGE, "The body has a number or key longer than the parser allows");
        } catch (JacksonException ex) {
            // Jackson's messages quote the input: never pass them on
            if (String.valueOf(ex.getOriginalMessage()).startsWith("Duplicate Object property")) {
                throw malformed(Reason.DUPLICATE_KEY, "The body has an object with a duplicate key");
            }
            throw malformed(Reason.NOT_JSON, "The body is not valid JSON");
        }
        return columns.event(payload);
    }

    /** Reads every token after the root's START_OBJECT up to its END_OBJECT. */
    private static void walk(JsonParser parser, Columns columns) {
        int depth = 1;
        while (depth > 0) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw malformed(Reason.NOT_JSON, "The body is not valid JSON");
            }
            switch (token) {
                case START_OBJECT, START_ARRAY -> {
                    // the new container's context is current now: its field is named in the parent
                    columns.value(parser.streamReadContext().getParent(), token, depth, parser);
                    if (++depth > MAX_DEPTH) {
                        throw malformed(Reason.TOO_DEEP, "The body is nested more than " + MAX_DEPTH + " levels deep");
                    }
                }
                case END_OBJECT, END_ARRAY -> depth--;
                case PROPERTY_NAME -> {
                    // the value's token follows
                }
                default -> {
                    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                        checkDecimalLength(parser.getText());
                    }
                    columns.value(parser.streamReadContext(), token, depth, parser);
                }
            }
        }
    }

    /**
     * The text of the jsonb copy when the bytes themselves cannot be it; empty when they can (the
     * usual case). PostgreSQL's jsonb refuses {@code \u0000} and unpaired surrogate escapes, which
     * are valid JSON: the copy escapes their backslash, so a name typed with a NUL reads
     * {@code "a\\u0000b"} there (the literal text {@code \u0000}) while the raw bytes keep it.
     */
    public Optional<String> jsonbText() {
        int extra = 0;
        for (int i = unstorableEscape(payload, 0); i >= 0; i = unstorableEscape(payload, i + 6)) {
            extra++;
        }
        if (extra == 0) {
            return Optional.empty();
        }
        byte[] text = new byte[payload.length + extra];
        int from = 0;
        int to = 0;
        for (int i = unstorableEscape(payload, 0); i >= 0; i = unstorableEscape(payload, i + 6)) {
            System.arraycopy(payload, from, text, to, i - from);
            to += i - from;
            text[to++] = '\\';
            from = i;
        }
        System.arraycopy(payload, from, text, to, payload.length - from);
        return Optional.of(new String(text, StandardCharsets.UTF_8));
    }

    /**
     * The index of the next {@code \}{@code uXXXX} escape at or after {@code from} that jsonb refuses
     * (NUL, or a surrogate that is not half of a high-low pair), or -1. The JSON is valid, so every
     * backslash starts an escape inside a string and the escapes can be walked without a parser.
     */
    private static int unstorableEscape(byte[] json, int from) {
        int i = from;
        while (i < json.length) {
            if (json[i] != '\\') {
                i++;
                continue;
            }
            if (json[i + 1] != 'u') {
                i += 2;
                continue;
            }
            int unit = hex4(json, i + 2);
            if (unit == 0 || Character.isLowSurrogate((char) unit)) {
                return i;
            }
            if (Character.isHighSurrogate((char) unit)) {
                boolean paired = i + 11 < json.length
                        && json[i + 6] == '\\'
                        && json[i + 7] == 'u'
                        && Character.isLowSurrogate((char) hex4(json, i + 8));
                if (!paired) {
                    return i;
                }
                i += 12;
                continue;
            }
            i += 6;
        }
        return -1;
    }

    private static int hex4(byte[] json, int at) {
        int value = 0;
        for (int i = at; i < at + 4; i++) {
            value = (value << 4) | Character.digit(json[i], 16);
        }
        return value;
    }

    private static void checkEncoding(byte[] body) {
        if (body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF) {
            throw malformed(
                    Reason.BYTE_ORDER_MARK, "The body starts with a byte order mark; Stripe sends UTF-8 without one");
        }
        // JSON starts with an ASCII character: a zero byte in its first two means UTF-16 or UTF-32
        if (body.length >= 2
                && (body[0] == 0
                        || body[1] == 0
                        || (body[0] == (byte) 0xFE && body[1] == (byte) 0xFF)
                        || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE))) {
            throw malformed(Reason.NOT_UTF8, "The body is UTF-16 or UTF-32; Stripe sends UTF-8");
        }
        if (!strictUtf8(body)) {
            throw malformed(Reason.NOT_UTF8, "The body is not valid UTF-8");
        }
    }

    /**
     * Well-formed UTF-8 as RFC 3629 defines it: no overlong forms ({@code C0 AF}), no encoded
     * surrogates, nothing above U+10FFFF. A lenient decoder would turn these into U+FFFD and the
     * stored event would no longer be the one Stripe signed.
     */
    static boolean strictUtf8(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int lead = bytes[i];
            if (lead >= 0) {
                i++;
                continue;
            }
            lead &= 0xFF;
            int size = lead < 0xC2 ? 0 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF5 ? 4 : 0;
            if (size == 0 || i + size > n) {
                return false;
            }
            int second = bytes[i + 1] & 0xFF;
            boolean outOfRange = (lead == 0xE0 && second < 0xA0) // overlong 3-byte form
                    || (lead == 0xED && second > 0x9F) // UTF-16 surrogates
                    || (lead == 0xF0 && second < 0x90) // overlong 4-byte form
                    || (lead == 0xF4 && second > 0x8F); // above U+10FFFF
            if (outOfRange) {
                return false;
            }
            for (int k = i + 1; k < i + size; k++) {
                if ((bytes[k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += size;
        }
        return true;
    }

    /**
     * PostgreSQL keeps a number in its decimal form ({@code 1e900} is stored as 901 digits) and
     * Jackson reads at most 1,000 characters of one: a number whose decimal form is longer could be
     * stored but not processed. Stripe sends nothing like it.
     */
    private static void checkDecimalLength(String number) {
        int e = Math.max(number.indexOf('e'), number.indexOf('E'));
        int exponent = 0;
        for (int i = e + 1; e >= 0 && i < number.length(); i++) {
            char c = number.charAt(i);
            if (c >= '0' && c <= '9') {
                exponent = Math.min(exponent * 10 + (c - '0'), MAX_NUMBER_DIGITS + 1);
            }
        }
        if (number.length() + exponent > MAX_NUMBER_DIGITS) {
            throw malformed(
                    Reason.NUMBER_OUT_OF_RANGE,
                    "The body has a number longer than " + MAX_NUMBER_DIGITS + " digits once written out");
        }
    }

    /** A string the store can keep in a text column as it is, and that is safe to show. */
    static boolean clean(String value) {
        if (value.isBlank() || value.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c)
                        || i + 1 == value.length()
                        || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    private static MalformedEventException malformed(Reason reason, String message) {
        return new MalformedEventException(reason, message);
    }

    /** The indexed columns as the walk meets them; each field is checked where it is read. */
    private static final class Columns {

        private final Instant latestLive;

        private String object;

        private String id;

        private String type;

        private String apiVersion;

        private Boolean livemode;

        private Instant created;

        private boolean dataObject;

        private String objectId;

        private String tenantHint;

        private String objectType;

        private String customer;

        private String expandedCustomer;

        Columns(Instant latestLive) {
            this.latestLive = latestLive;
        }

        /** A value (scalar, or the start of a container) inside {@code container}, which is {@code depth} deep. */
        void value(TokenStreamContext container, JsonToken token, int depth, JsonParser parser) {
            if (depth > 4 || !container.inObject()) {
                return;
            }
            String name = container.currentName();
            if (depth == 1) {
                root(name, token, parser);
            } else if (depth == 2 && name.equals("object") && at(container, "data")) {
                if (token != JsonToken.START_OBJECT) {
                    throw malformed(Reason.INVALID_FIELD, "data.object must be a JSON object");
                }
                dataObject = true;
            } else if (depth == 3 && name.equals("id") && at(container, "data", "object")) {
                objectId = optionalString(token, parser, "data.object.id");
            } else if (depth == 3 && name.equals("object") && at(container, "data", "object")) {
                objectType = cleanString(token, parser);
            } else if (depth == 3 && name.equals("customer") && at(container, "data", "object")) {
                customer = cleanString(token, parser);
            } else if (depth == 4 && name.equals("tenant_id") && at(container, "data", "object", "metadata")) {
                tenantHint = cleanString(token, parser);
            } else if (depth == 4 && name.equals("id") && at(container, "data", "object", "customer")) {
                expandedCustomer = cleanString(token, parser);
            }
        }

        /** The value when it is a string {@link #clean} allows, else null (a hint, never a reason to refuse). */
        private static String cleanString(JsonToken token, JsonParser parser) {
            return token == JsonToken.VALUE_STRING && clean(parser.getString()) ? parser.getString() : null;
        }

        /** As {@link StripeEvent#customerId()} reads it. */
        private String customerId() {
            return "customer".equals(objectType) ? objectId : customer != null ? customer : expandedCustomer;
        }

        private void root(String name, JsonToken token, JsonParser parser) {
            switch (name) {
                case "object" -> object = token == JsonToken.VALUE_STRING ? parser.getString() : "";
                case "id" -> id = requiredString(token, parser, "id");
                case "type" -> type = requiredString(token, parser, "type");
                case "api_version" -> apiVersion = optionalString(token, parser, "api_version");
                case "livemode" ->
                    livemode = switch (token) {
                        case VALUE_TRUE -> Boolean.TRUE;
                        case VALUE_FALSE -> Boolean.FALSE;
                        default -> throw malformed(Reason.INVALID_FIELD, "livemode must be true or false");
                    };
                case "created" -> created = created(token, parser);
                case "data" -> {
                    if (token != JsonToken.START_OBJECT) {
                        throw malformed(Reason.INVALID_FIELD, "data must be a JSON object");
                    }
                }
                default -> {
                    // not indexed
                }
            }
        }

        private Instant created(JsonToken token, JsonParser parser) {
            if (token != JsonToken.VALUE_NUMBER_INT) {
                throw malformed(Reason.INVALID_FIELD, "created must be a whole number of seconds (Unix time)");
            }
            boolean inRange = parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                    && parser.getLongValue() >= EARLIEST_CREATED.getEpochSecond()
                    && parser.getLongValue() < LATEST_CREATED.getEpochSecond();
            if (!inRange) {
                throw malformed(
                        Reason.INVALID_FIELD,
                        "created must be a Unix time between " + EARLIEST_CREATED + " and " + LATEST_CREATED);
            }
            return Instant.ofEpochSecond(parser.getLongValue());
        }

        private static String requiredString(JsonToken token, JsonParser parser, String field) {
            if (token != JsonToken.VALUE_STRING || !clean(parser.getString())) {
                throw malformed(
                        Reason.INVALID_FIELD,
                        field + " must be a string of 1 to " + MAX_ID_LENGTH
                                + " characters without control characters");
            }
            return parser.getString();
        }

        private static String optionalString(JsonToken token, JsonParser parser, String field) {
            return token == JsonToken.VALUE_NULL ? null : requiredString(token, parser, field);
        }

        /** Whether {@code container} is the object found at {@code path} from the root object. */
        private static boolean at(TokenStreamContext container, String... path) {
            TokenStreamContext node = container;
            for (int i = path.length - 1; i >= 0; i--) {
                TokenStreamContext parent = node.getParent();
                if (parent == null || !parent.inObject() || !path[i].equals(parent.currentName())) {
                    return false;
                }
                node = parent;
            }
            return node.getParent() != null && node.getParent().inRoot();
        }

        ReceivedEvent event(byte[] payload) {
            if (!"event".equals(object)) {
                throw malformed(Reason.NOT_AN_EVENT, "The body is not a Stripe event (object must be \"event\")");
            }
            if (id == null || type == null || livemode == null || created == null || !dataObject) {
                throw malformed(
                        Reason.NOT_AN_EVENT, "The event lacks one of id, type, livemode, created or data.object");
            }
            if (livemode && created.isAfter(latestLive)) {
                throw malformed(
                        Reason.INVALID_FIELD,
                        "created of a live event must be at most a day after it is received (check the clocks)");
            }
            return new ReceivedEvent(
                    id,
                    type,
                    Optional.ofNullable(apiVersion),
                    livemode,
                    created,
                    Optional.ofNullable(objectId),
                    Optional.ofNullable(tenantHint),
                    Optional.ofNullable(customerId()),
                    payload);
        }
    }
}
