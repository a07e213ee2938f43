package com.anythingagents.billing.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingApi;
import com.anythingagents.billing.BillingServiceTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The API's description and Swagger UI are open (the routes they describe are not), and complete. */
@BillingServiceTest
class OpenApiTests {

    @LocalServerPort
    int port;

    @Test
    void theDocumentDescribesEveryRouteWithItsErrorsAndBearerAuth() {
        BillingApi.Response docs = new BillingApi(port).get("/v3/api-docs", null);

        assertThat(docs.status()).isEqualTo(200);
        JsonNode api = docs.json();
        assertThat(api.path("components")
                        .path("securitySchemes")
                        .path("bearer")
                        .path("scheme")
                        .asString())
                .isEqualTo("bearer");
        assertThat(api.path("components").path("schemas").has("ApiError")).isTrue();
        JsonNode paths = api.path("paths");
        for (String write : List.of("start", "checkout", "update", "cancel", "portal", "usage")) {
            JsonNode post = paths.path("/api/v1/billing/" + write).path("post");
            assertThat(post.path("requestBody").isMissingNode()).as(write).isFalse();
            assertThat(post.path("responses").path("401").path("content").toString())
                    .as(write)
                    .contains("#/components/schemas/ApiError");
            assertThat(post.path("responses").has("403")).as(write).isTrue();
            assertThat(post.path("responses").has("422")).as(write).isTrue();
        }
        assertThat(paths.path("/api/v1/billing/start")
                        .path("post")
                        .path("parameters")
                        .toString())
                .contains("Idempotency-Key");
        assertThat(paths.path("/api/v1/billing/start")
                        .path("post")
                        .path("responses")
                        .path("503")
                        .path("headers")
                        .has("Retry-After"))
                .isTrue();
        assertThat(paths.path("/api/v1/billing/start")
                        .path("post")
                        .path("responses")
                        .has("402"))
                .isTrue();
        for (String read : List.of("subscription", "invoices", "usage", "plans")) {
            assertThat(paths.path("/api/v1/billing/" + read)
                            .path("get")
                            .path("responses")
                            .has("200"))
                    .as(read)
                    .isTrue();
        }
        assertThat(paths.path("/api/v1/billing/invoices")
                        .path("get")
                        .path("parameters")
                        .toString())
                .contains("before")
                .contains("limit");
    }

    @Test
    void swaggerUiIsServedAtDocsWithoutAToken() throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();

        HttpResponse<String> page = client.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/docs"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("swagger-ui");
        // the data behind it still needs a token
        assertThat(new BillingApi(port).get("/api/v1/billing/plans", null).status())
                .isEqualTo(401);
    }
}
