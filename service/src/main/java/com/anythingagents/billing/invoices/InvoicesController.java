package com.anythingagents.billing.invoices;

import com.anythingagents.billing.security.Caller;
import com.anythingagents.billing.security.TenantAccess;
import com.anythingagents.billing.web.ApiError;
import com.anythingagents.billing.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A tenant's invoices, newest first, a page at a time. */
@RestController
@ConditionalOnProperty(name = "billing.enabled", havingValue = "true")
class InvoicesController {

    static final int DEFAULT_LIMIT = 20;

    static final int MAX_LIMIT = 100;

    private final InvoiceReads invoices;

    InvoicesController(InvoiceReads invoices) {
        this.invoices = invoices;
    }

    /** An invoice as the API shows it; amounts in minor units of {@code currency}. */
    record Invoice(
            String stripeInvoiceId,
            String number,
            String status,
            String currency,
            long amountDue,
            long amountPaid,
            long total,
            String hostedInvoiceUrl,
            String invoicePdf,
            Instant periodStart,
            Instant periodEnd,
            Instant createdAt) {}

    record Page(
            List<Invoice> invoices,

            @Schema(description = "Pass as before= for the next (older) page; null on the last page")
            String nextCursor) {}

    @GetMapping("/api/v1/billing/invoices")
    @Operation(
            summary = "Invoices",
            description = "The tenant's invoices as Stripe's events reported them, newest first, with keyset"
                    + " pagination. Roles: owner, admin, member, viewer.")
    @ApiResponse(responseCode = "200", description = "A page of invoices")
    @ApiResponse(
            responseCode = "400",
            description = "limit out of range or a malformed cursor",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    Page invoices(
            Caller caller,
            @Parameter(description = "1 to 100") @RequestParam(defaultValue = "" + DEFAULT_LIMIT) int limit,
            @Parameter(description = "next_cursor of the previous page") @RequestParam Optional<String> before) {
        String tenant = TenantAccess.reader(caller);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "bad_request", "limit must be between 1 and " + MAX_LIMIT);
        }
        List<InvoiceReads.Row> rows = invoices.page(tenant, before.map(InvoicesController::cursor), limit + 1);
        boolean more = rows.size() > limit;
        List<InvoiceReads.Row> shown = more ? rows.subList(0, limit) : rows;
        return new Page(
                shown.stream().map(InvoiceReads.Row::invoice).toList(),
                more ? Long.toString(shown.get(shown.size() - 1).id()) : null);
    }

    /** The cursor is opaque to clients; today it is the last row's id. */
    private static long cursor(String value) {
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ex) {
            // answered below
        }
        throw new ApiException(HttpStatus.BAD_REQUEST, "bad_request", "before is not a cursor from next_cursor");
    }
}
