package com.anythingagents.billing.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes the envelope where no controller advice reaches (security filters, the webhook servlet). */
@Component
public class ApiErrorWriter {

    private final JsonMapper json;

    ApiErrorWriter(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletResponse response, int status, ApiError error) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), error);
    }

    /** The envelope of an expected failure, for routes outside Spring MVC (its advice maps the rest). */
    public void write(HttpServletResponse response, ApiException ex) throws IOException {
        write(response, ex.status().value(), ex.toApiError());
    }
}
