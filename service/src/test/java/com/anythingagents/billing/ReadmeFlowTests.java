package com.anythingagents.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anythingagents.billing.security.Role;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's Billing API flow, line by line: each {@code curl} is sent as the HTTP request it
 * makes (to this service and its emulator instead of ports 8000 and 12111), and each
 * {@code $(make -s token …)} becomes a token of the same role for a tenant of this test. The flow
 * must do what the README says it does: start a plan, see it active, report usage, read it, and
 * after the emulator's month ends, the invoice that bills it.
 */
@BillingServiceTest
class ReadmeFlowTests {

    static final Path README = Path.of("..", "README.md");

    static final Pattern TOKEN = Pattern.compile("\\$\\(make -s token(?: ARGS=\"([^\"]*)\")?\\)");

    static final Duration DELIVERY = Duration.ofSeconds(60);

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private final String tenant = "t_" + UUID.randomUUID();

    private final Map<String, String> vars = new HashMap<>();

    @Test
    void theCurlFlowStartsAPlanReportsUsageAndShowsTheInvoiceThatBillsIt() throws Exception {
        List<String> lines = commands();
        assertThat(lines).anyMatch(l -> l.contains("$API/start")).anyMatch(l -> l.contains("$API/usage"));
        String owner = BillingApi.token(tenant, Role.OWNER);
        BillingApi api = new BillingApi(port);
        for (String line : lines) {
            Matcher assignment = Pattern.compile("^([A-Z_]+)=(.*)$").matcher(line);
            if (assignment.matches()) {
                vars.put(assignment.group(1), value(assignment.group(2)));
                continue;
            }
            List<String> words = ShellLine.words(line, vars);
            assertThat(words.get(0)).as(line).isEqualTo("curl");
            if (line.contains("/_emulator/clock/advance")) {
                // the usage must have reached Stripe before its period closes
                await().atMost(DELIVERY).until(() -> reported(api, owner) == 3);
            }
            HttpResponse<String> response = send(words);
            assertThat(response.statusCode()).as(line + " → " + response.body()).isBetween(200, 299);
            if (line.contains("$API/subscription")) {
                assertThat(json(response).path("subscription").path("status").asString())
                        .isEqualTo("active");
            }
        }
        // the renewal after the month: 2 seats of starter and 3 agent runs at 2 cents
        await().atMost(DELIVERY)
                .untilAsserted(() -> assertThat(api.get("/api/v1/billing/invoices", owner)
                                .json()
                                .path("invoices")
                                .valueStream()
                                .map(i -> i.path("total").asLong()))
                        .contains(2 * 2900L + 3 * 2L));
    }

    /** The logical lines of the section's shell block, continuations joined. */
    private static List<String> commands() throws IOException {
        String readme = Files.readString(README);
        String section = readme.substring(readme.indexOf("## Billing API"));
        int start = section.indexOf("```sh\n") + "```sh\n".length();
        String block = section.substring(start, section.indexOf("\n```", start));
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : block.split("\n")) {
            if (raw.endsWith("\\")) {
                current.append(raw, 0, raw.length() - 1);
                continue;
            }
            current.append(raw);
            String line = current.toString().strip();
            current.setLength(0);
            if (!line.isEmpty() && !line.startsWith("#")) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** A variable's value: a minted token for {@code $(make -s token …)}, the words otherwise. */
    private String value(String text) {
        Matcher token = TOKEN.matcher(text);
        if (token.find()) {
            Role role = Role.OWNER;
            if (token.group(1) != null) {
                Matcher given = Pattern.compile("--role (\\w+)").matcher(token.group(1));
                if (given.find()) {
                    role = Role.valueOf(given.group(1).toUpperCase());
                }
            }
            return BillingApi.token(tenant, role);
        }
        return String.join(" ", ShellLine.words(text, vars));
    }

    /** The request {@code curl -s [-X M] [-H h]… [-d body] url} makes, sent to this test's ports. */
    private HttpResponse<String> send(List<String> words) throws Exception {
        String method = null;
        String body = null;
        String url = null;
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
            switch (words.get(i)) {
                case "-s" -> {}
                case "-X" -> method = words.get(++i);
                case "-H" -> {
                    String header = words.get(++i);
                    int colon = header.indexOf(':');
                    headers.add(new String[] {
                        header.substring(0, colon), header.substring(colon + 1).strip()
                    });
                }
                case "-d" -> body = words.get(++i);
                default -> url = words.get(i);
            }
        }
        String emulator = EmulatorControl.local().emulator().baseUrl();
        String target = "http://" + url;
        target = target.replace("http://localhost:8000", "http://localhost:" + port)
                .replace("http://localhost:12111", emulator);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(60));
        headers.forEach(h -> request.header(h[0], h[1]));
        if (body != null && !headers.stream().anyMatch(h -> h[0].equalsIgnoreCase("Content-Type"))) {
            request.header("Content-Type", "application/x-www-form-urlencoded"); // curl's default for -d
        }
        String verb = method != null ? method : body != null ? "POST" : "GET";
        request.method(
                verb, body != null ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private static long reported(BillingApi api, String token) {
        return api.get("/api/v1/billing/usage", token)
                .json()
                .path("features")
                .valueStream()
                .mapToLong(f -> f.path("reported").asLong())
                .sum();
    }
}
