package com.anythingagents.billing.apidocs;

import com.anythingagents.billing.web.ApiError;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /docs}): bearer JWT on every
 * route, and the responses every route shares added here once: the error envelope for 401/403,
 * the Idempotency-Key header and 422 on the writes, and Stripe's 500/502/503 (with Retry-After)
 * on the routes that call Stripe while the caller waits.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info =
                @Info(
                        title = "anything-agents billing API",
                        version = "v1",
                        description = "Subscriptions, usage and invoices of a tenant, on Stripe. Errors are always"
                                + " {error, message, details?}. The tenant is the token's tenant_id."),
        security = @SecurityRequirement(name = OpenApiConfiguration.BEARER))
@SecurityScheme(
        name = OpenApiConfiguration.BEARER,
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        bearerFormat = "JWT")
class OpenApiConfiguration {

    static final String BEARER = "bearer";

    static final String ERROR_SCHEMA = "ApiError";

    /** Write routes that call Stripe before they answer. */
    static final Set<String> STRIPE_ROUTES = Set.of(
            "/api/v1/billing/start",
            "/api/v1/billing/checkout",
            "/api/v1/billing/update",
            "/api/v1/billing/cancel",
            "/api/v1/billing/portal",
            "/api/v1/billing/plans");

    @Bean
    OpenApiCustomizer sharedResponses() {
        return openApi -> {
            Map<String, Schema> error = ModelConverters.getInstance().read(ApiError.class);
            error.forEach(openApi.getComponents()::addSchemas);
            openApi.getPaths().forEach((path, item) -> {
                if (!path.startsWith("/api/")) {
                    return;
                }
                item.readOperationsMap().forEach((method, operation) -> {
                    responses(operation);
                    add(operation, "401", "unauthorized: no valid bearer token");
                    add(operation, "403", "forbidden: the token's roles or tenant do not allow this");
                    if (method == PathItem.HttpMethod.POST && path.startsWith("/api/v1/billing/")) {
                        add(operation, "422", "validation_failed (details.fields)");
                        if (!path.equals("/api/v1/billing/usage")) {
                            idempotencyKey(operation);
                        }
                    }
                    if (STRIPE_ROUTES.contains(path)) {
                        add(operation, "500", "stripe_configuration_error: Stripe rejected the service's key");
                        retryLater(operation, "502", "stripe_unavailable: Stripe could not be reached or failed");
                        retryLater(operation, "503", "stripe_rate_limited: Stripe is rate limiting");
                    }
                });
            });
        };
    }

    private static void responses(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
    }

    private static void add(Operation operation, String status, String description) {
        operation.getResponses().putIfAbsent(status, envelope(description));
    }

    private static void retryLater(Operation operation, String status, String description) {
        operation
                .getResponses()
                .putIfAbsent(
                        status,
                        envelope(description)
                                .addHeaderObject(
                                        "Retry-After",
                                        new Header()
                                                .description("Seconds to wait")
                                                .schema(new IntegerSchema())));
    }

    private static ApiResponse envelope(String description) {
        return new ApiResponse()
                .description(description)
                .content(new Content()
                        .addMediaType(
                                "application/json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR_SCHEMA))));
    }

    private static void idempotencyKey(Operation operation) {
        operation.addParametersItem(new HeaderParameter()
                .name("Idempotency-Key")
                .required(false)
                .description("Per tenant, kept 24 h: the same key and body answer the first response again;"
                        + " another body under the key is 409 idempotency_conflict")
                .schema(new StringSchema().maxLength(255)));
        operation.getResponses().putIfAbsent("409", envelope("idempotency_conflict, operation_in_progress"));
    }
}
