package com.anythingagents.billing.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anythingagents.billing.BillingProcess;
import com.anythingagents.billing.BillingServiceTest;
import com.anythingagents.billing.HttpProbe;
import com.anythingagents.billing.TestStripe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@BillingServiceTest
class TokenCommandTests {

    @LocalServerPort
    int port;

    @TempDir
    Path directory;

    private final StringWriter out = new StringWriter();

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = BillingCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static JsonNode claims(String token) {
        String payload = token.strip().split("\\.")[1];
        return JsonMapper.builder()
                .build()
                .readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }

    @Test
    void mintsATokenTheServiceAccepts() {
        Map<String, String> environment = Map.of("AUTH_JWT_SECRET", TestStripe.JWT_SECRET);
        String token;
        try (BillingProcess process =
                BillingProcess.start(directory, environment, "token", "--tenant", "acme", "--role", "owner")) {
            assertThat(process.awaitExit(Duration.ofSeconds(60)))
                    .as(process.output())
                    .isZero();
            token = process.output().strip();
        }

        assertThat(token).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        assertThat(new HttpProbe(port).get("/api/v1/billing/plans", token).status())
                .isEqualTo(200);
    }

    @Test
    void printsOnlyATokenWithTenantRolesAndTtl() {
        assertThat(run("token", "--tenant", "acme", "--role", "owner,admin", "--ttl", "15m"))
                .isZero();

        JsonNode claims = claims(out.toString());
        assertThat(claims.get("tenant_id").asString()).isEqualTo("acme");
        assertThat(claims.get("roles").valueStream().map(JsonNode::asString)).containsExactly("owner", "admin");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(15 * 60);
    }

    @Test
    void operatorTokenCarriesNoTenant() {
        assertThat(run("token", "--role", "operator", "--ttl", "12h")).isZero();

        JsonNode claims = claims(out.toString());
        assertThat(claims.has("tenant_id")).isFalse();
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(12 * 3600);
    }

    @Test
    void aTokenLongerThanADayNeedsLongLived() {
        assertThat(run("token", "--role", "operator", "--ttl", "7d")).isNotZero();
        assertThat(err.toString()).contains("--ttl 7d is longer than 24h; pass --long-lived for a service token");
        assertThat(out.toString()).isEmpty();

        assertThat(run("token", "--role", "operator", "--ttl", "7d", "--long-lived"))
                .isZero();
        JsonNode claims = claims(out.toString());
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(7 * 24 * 3600);

        assertThat(run("token", "--role", "operator", "--ttl", "400d", "--long-lived"))
                .isNotZero();
        assertThat(err.toString()).contains("at most 366d");
    }

    @Test
    void parsesTtlShorthandAndIsoDurations() {
        assertThat(TokenCommand.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(TokenCommand.duration("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(TokenCommand.duration("1H")).isEqualTo(Duration.ofHours(1));
        assertThat(TokenCommand.duration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(TokenCommand.duration("PT2H")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void rejectsTtlThatIsNotADuration() {
        assertThatThrownBy(() -> TokenCommand.duration("soon"))
                .hasMessage("--ttl \"soon\" is not a duration like 15m, 1h or 7d");
        assertThat(run("token", "--role", "owner", "--ttl", "5 weeks")).isNotZero();
        assertThat(err.toString()).contains("--ttl \"5 weeks\" is not a duration like 15m, 1h or 7d");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void unknownRoleFailsWithAClearMessage() {
        assertThat(run("token", "--tenant", "acme", "--role", "king")).isNotZero();

        assertThat(err.toString())
                .contains("Unknown role \"king\"; use owner, admin, member, viewer or operator")
                .doesNotContain("\tat ");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void roleIsRequired() {
        assertThat(run("token", "--tenant", "acme")).isNotZero();

        assertThat(err.toString()).contains("Missing required option: '--role");
    }
}
