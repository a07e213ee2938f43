package com.anythingagents.billing.security;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A test-only Spring MVC route that takes a body (scanned from test sources into every test
 * context): it answers with the caller's tenant and the body's length and SHA-256, so tests can
 * tell that a slowly sent body arrived whole and that the bearer token was checked on the way.
 */
@RestController
public class BodyEchoController {

    public static final String PATH = "/api/v1/test/body-echo";

    @PostMapping(PATH)
    Map<String, Object> echo(Caller caller, @RequestBody byte[] body) throws NoSuchAlgorithmException {
        return Map.of(
                "tenant",
                caller.requireTenant(),
                "length",
                body.length,
                "sha256",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
    }
}
