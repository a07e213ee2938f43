package com.anythingagents.billing.usage;

import com.anythingagents.billing.security.Caller;
import com.anythingagents.billing.security.TenantAccess;
import com.anythingagents.billing.web.ApiError;
import com.anythingagents.billing.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Metered usage: reports go to the outbox (202), totals come from it. */
@RestController
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class UsageController {

    private final UsageIntake intake;

    private final UsagePeriods periods;

    UsageController(UsageIntake intake, UsagePeriods periods) {
        this.intake = intake;
        this.periods = periods;
    }

    @Schema(name = "UsageReport")
    record UsageRequest(
            @NotBlank @Schema(example = "agent_runs") String featureKey,

            @Schema(type = "integer", format = "int64", minimum = "1", maximum = "1000000000", example = "3")
            JsonNode quantity,

            @Schema(
                    type = "string",
                    format = "date-time",
                    description =
                            "When the usage happened; default now. At most 34 days old (a day inside Stripe's 35-day window), 5 minutes ahead.")
            String timestamp,

            @Schema(description = "Per tenant; else the Idempotency-Key header; else one is generated and returned.")
            String idempotencyKey) {}

    @Schema(name = "UsageAccepted")
    record UsageAccepted(
            String usageId,
            String idempotencyKey,

            @Schema(allowableValues = {"pending", "reported", "failed"})
            String status) {}

    @PostMapping("/api/v1/billing/usage")
    @Operation(
            summary = "Report metered usage",
            description = "Stored first (once per tenant and idempotency key), then reported to Stripe as a"
                    + " Billing Meter Event by the outbox worker. A repeated key answers 202 with the same usage_id"
                    + " and its current status, before anything else is checked (409 when the report differs)."
                    + " Roles: owner, admin, service.")
    @ApiResponse(responseCode = "202", description = "Stored; Stripe is told asynchronously")
    @ApiResponse(
            responseCode = "400",
            description = "unknown_feature (details.known_features), invalid_quantity, invalid_timestamp,"
                    + " invalid_idempotency_key",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(
            responseCode = "409",
            description = "no_customer, or idempotency_conflict (the key was used for another report)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    ResponseEntity<UsageAccepted> report(
            Caller caller,
            @Valid @RequestBody UsageRequest request,
            @Parameter(in = ParameterIn.HEADER, description = "Used when the body has no idempotency_key")
                    @RequestHeader(name = "Idempotency-Key", required = false)
                    String headerKey) {
        String tenant = TenantAccess.usageReporter(caller);
        String key = key(request.idempotencyKey(), headerKey);
        UsageIntake.Accepted accepted = intake.accept(
                tenant,
                new UsageIntake.Report(
                        request.featureKey(), quantity(request.quantity()), timestamp(request.timestamp()), key));
        UsageRecord record = accepted.record();
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(new UsageAccepted(
                        Long.toString(record.id()),
                        record.idempotencyKey(),
                        record.status().column()));
    }

    @GetMapping("/api/v1/billing/usage")
    @Operation(
            summary = "Usage totals of a period",
            description = "Per feature: reported, pending and failed quantities; per feature and UTC day: the"
                    + " quantity billed or to be billed. Default period: the subscription's current one, else the"
                    + " current month (UTC). Roles: owner, admin, member, viewer.")
    @ApiResponse(responseCode = "200", description = "Totals of the period")
    @ApiResponse(
            responseCode = "400",
            description = "from/to malformed or from not before to",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    UsagePeriods.UsageSummary totals(
            Caller caller,
            @Parameter(description = "ISO-8601 instant or date (UTC), inclusive") @RequestParam Optional<String> from,
            @Parameter(description = "ISO-8601 instant or date (UTC), exclusive") @RequestParam Optional<String> to) {
        return periods.summary(TenantAccess.reader(caller), from, to);
    }

    private static String key(String bodyKey, String headerKey) {
        // an empty key is a client's mistake, not "no key": a generated one would bill its retry twice
        if ("".equals(bodyKey) || "".equals(headerKey)) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST, "invalid_idempotency_key", "idempotency_key must not be empty");
        }
        boolean inBody = bodyKey != null;
        boolean inHeader = headerKey != null;
        if (inBody && inHeader && !bodyKey.equals(headerKey)) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_idempotency_key",
                    "idempotency_key and the Idempotency-Key header differ; send one of them");
        }
        return inBody ? bodyKey : inHeader ? headerKey : UUID.randomUUID().toString();
    }

    /** Only a JSON integer: 2.5 must not become 2, nor "3" pass as a number. */
    private static Optional<Long> quantity(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToLong()
                ? Optional.of(node.asLong())
                : Optional.empty();
    }

    private static Optional<Instant> timestamp(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException ex) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_timestamp",
                    "timestamp must be an ISO-8601 date-time with an offset, e.g. 2026-12-01T10:00:00Z");
        }
    }
}
