package com.anythingagents.billing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import com.anythingagents.billing.config.ServiceSettings;
import com.anythingagents.billing.security.BodyEchoController;
import com.anythingagents.billing.security.Role;
import com.anythingagents.billing.security.TokenMinter;
import com.anythingagents.billing.web.RawHttp;
import com.anythingagents.billing.webhook.SignedDelivery;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.coyote.http11.Http11Processor;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.log.UserDataHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * No token, secret, signature header or body fragment reaches a log line, whatever the request:
 * every hostile case below is sent over real HTTP while all log events are captured.
 */
@BillingServiceTest
class LogRedactionTests {

    private static final String MARKER = "BODYMARKER7f3a9c";

    @LocalServerPort
    int port;

    @Autowired
    ServiceSettings settings;

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    private Logger root;

    @BeforeEach
    void capture() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
    }

    private RawHttp.Response raw(String request) {
        try (RawHttp http = new RawHttp(port, Duration.ofSeconds(30))) {
            return http.exchange(request);
        }
    }

    @Test
    void hostileRequestsLeaveNoTokenSecretSignatureOrBodyInTheLogs() {
        String secret = settings.stripe().orElseThrow().webhookSecrets().get(0);
        String token = new TokenMinter(TestStripe.JWT_SECRET, Optional.empty(), Optional.empty(), Clock.systemUTC())
                .mint("user-1", "acme", List.of(Role.OWNER), Duration.ofMinutes(5));
        String tokenSignature = token.substring(token.lastIndexOf('.') + 1);
        String event = SignedDelivery.event(SignedDelivery.newEventId(), "test.logs", MARKER, false, Instant.now());
        String signature = SignedDelivery.header(secret, Instant.now(), event.getBytes(StandardCharsets.UTF_8));
        List<String> secrets = List.of(
                token, tokenSignature, secret, signature, signature.substring(signature.indexOf("v1=") + 3), MARKER);

        // a bearer token with a control character: Tomcat used to log the whole header line at INFO
        raw("GET /api/v1/billing/plans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\u0001\r\n\r\n");
        raw("GET /api/v1/billing/plans HTTP/1.1\r\nHost: x\r\nCookie: SESSION=" + MARKER + "\u0001\r\n\r\n");
        raw("GET /api/v1/billing/plans?access_token=" + token + "%00 HTTP/1.1\r\nHost: x\r\n\r\n");
        raw("GET /api/" + MARKER + "/..;/x HTTP/1.1\r\nHost: x\r\n\r\n");
        // a token that does not verify, and one of another tenant's shape
        new HttpProbe(port).get("/api/v1/billing/plans", token.substring(0, token.length() - 2) + "xx");
        new HttpProbe(port).get("/api/v1/billing/plans", MARKER + "." + MARKER + "." + MARKER);
        // webhooks: a wrong signature over a body, and signed bodies refused for what they contain
        SignedDelivery.post(port, event.getBytes(StandardCharsets.UTF_8), signature.replace("v1=", "v1=0"));
        SignedDelivery.postSigned(port, "whsec_wrong", Instant.now(), event);
        for (String refused : List.of(
                event.replace("\"livemode\":false", "\"livemode\":\"" + MARKER + "\""),
                event.replace("\"object\":\"event\"", "\"object\":\"event\",\"" + MARKER + "\":1,\"" + MARKER + "\":2"),
                event.replace(MARKER, MARKER + "\u0001"),
                event.replace("\"livemode\":false", "\"livemode\":true"),
                event + MARKER,
                event.replace(
                        "\"metadata\"",
                        "\"deep\":" + "[".repeat(500) + "\"" + MARKER + "\"" + "]".repeat(500) + ",\"metadata\""))) {
            SignedDelivery.postSigned(port, secret, Instant.now(), refused);
        }
        // a Spring MVC route given a body it cannot read
        raw("POST " + BodyEchoController.PATH + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\n" + MARKER.substring(0, 3));

        List<String> lines = new ArrayList<>();
        captured.list.forEach(e -> lines.add(render(e)));
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            for (String forbidden : secrets) {
                assertThat(line).doesNotContain(forbidden);
            }
        }
    }

    @Test
    void tomcatsReportsOfMalformedRequestsAreSwitchedOff() {
        // Tomcat logs the offending request line or header through this helper: it must say nothing
        assertThat(new UserDataHelper(LogFactory.getLog(Http11Processor.class)).getNextMode())
                .isNull();
    }

    /** The whole event as any appender could print it: message, arguments, exceptions and causes. */
    private static String render(ILoggingEvent event) {
        StringBuilder text =
                new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            text.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                text.append('\n').append(frame.getSTEAsString());
            }
        }
        return text.toString();
    }
}
