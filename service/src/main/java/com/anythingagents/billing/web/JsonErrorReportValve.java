package com.anythingagents.billing.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * The error envelope for what Tomcat refuses before any servlet runs (a malformed request line,
 * a header too large or with a control character, {@code %00} or an encoded slash in the path):
 * no application error page can answer those, and Tomcat's own report is an HTML page. The
 * message is fixed per status: Tomcat's own messages may quote the request.
 */
final class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String error = known != null ? ErrorCodes.of(known) : "error";
        String message = status == 400
                ? "The request was refused before reaching the service: its request line, path or headers"
                        + " are malformed or too large"
                : known != null ? known.getReasonPhrase() : "The request failed";
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                // codes and messages are constants: nothing here needs JSON escaping
                writer.write("{\"error\":\"" + error + "\",\"message\":\"" + message + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException clientGone) {
            // nothing left to answer
        }
    }
}
