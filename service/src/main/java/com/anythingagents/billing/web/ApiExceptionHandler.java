package com.anythingagents.billing.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import tools.jackson.databind.exc.MismatchedInputException;

/** Maps exceptions from controllers to the error envelope, in one place. */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException ex) {
        return ResponseEntity.status(ex.status()).body(ex.toApiError());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ApiError> invalid(MethodArgumentNotValidException ex) {
        Map<String, String> fields = new LinkedHashMap<>();
        ex.getBindingResult().getFieldErrors().forEach(f -> fields.put(f.getField(), f.getDefaultMessage()));
        return api(ApiException.validationFailed("The request has invalid fields", fields));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException ex) {
        return ResponseEntity.badRequest()
                .body(new ApiError(
                        "bad_request",
                        wholeNumberExpected(ex.getCause())
                                .map(field -> field + " must be a whole number")
                                .orElse("The request body is not valid JSON for this route")));
    }

    /** The field (as the client wrote it) that got a fraction or other non-integer where an integer belongs. */
    private static Optional<String> wholeNumberExpected(Throwable cause) {
        if (!(cause instanceof MismatchedInputException mismatch)
                || mismatch.getPath().isEmpty()
                || mismatch.getTargetType() == null) {
            return Optional.empty();
        }
        Class<?> type = mismatch.getTargetType();
        boolean integral = type == Long.class
                || type == long.class
                || type == Integer.class
                || type == int.class
                || type == Short.class
                || type == short.class
                || type == java.math.BigInteger.class;
        if (!integral) {
            return Optional.empty();
        }
        return Optional.of(mismatch.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")));
    }

    @ExceptionHandler(TypeMismatchException.class)
    ResponseEntity<ApiError> mismatch(TypeMismatchException ex) {
        // a query parameter or path variable that does not convert (?limit=abc): the caller's mistake
        Class<?> type = ex instanceof MethodArgumentTypeMismatchException argument
                ? argument.getParameter().nestedIfOptional().getNestedParameterType()
                : ex.getRequiredType();
        boolean number =
                type != null && (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class));
        String name = ex.getPropertyName() != null ? ex.getPropertyName() : "A parameter";
        return ResponseEntity.badRequest()
                .body(new ApiError("bad_request", name + " must be " + (number ? "a whole number" : "a valid value")));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ApiError> denied(AccessDeniedException ex) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN).body(new ApiError("forbidden", ex.getMessage()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception ex) {
        if (ex instanceof ErrorResponse response) {
            // Spring MVC's own exceptions (unknown route, wrong method, missing parameter) carry their status
            HttpStatus status = HttpStatus.valueOf(response.getStatusCode().value());
            String detail = response.getBody().getDetail();
            return ResponseEntity.status(status)
                    .body(new ApiError(ErrorCodes.of(status), detail != null ? detail : status.getReasonPhrase()));
        }
        // messages can quote request bodies or SQL parameters: classes and frames only
        log.error("Unhandled error", RedactedFailure.of(ex));
        return ResponseEntity.internalServerError()
                .body(new ApiError("internal_error", "An unexpected error occurred"));
    }
}
