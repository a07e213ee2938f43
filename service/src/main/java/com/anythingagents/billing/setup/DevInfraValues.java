package com.anythingagents.billing.setup;

import com.anythingagents.billing.devinfra.DevInfra;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The variables that point the service at the development databases of {@code make dev-up}. */
public final class DevInfraValues {

    private DevInfraValues() {}

    /**
     * {@code DATABASE_URL} and {@code REDIS_URL}, and {@code BILLING_LOCAL_MODE=true} when nothing else
     * is configured: with a {@code DATABASE_URL} local mode would end, and with it the development JWT
     * secret and the Stripe emulator that {@code make run} and {@code make migrate} rely on.
     * @param current what is configured now (blank and placeholder values count as unset)
     */
    public static Map<String, String> of(DevInfra.Running running, Function<String, Optional<String>> current) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("DATABASE_URL", running.databaseUrl());
        values.put("REDIS_URL", running.redisUrl());
        if (current.apply("BILLING_LOCAL_MODE").isEmpty()
                && current.apply("AUTH_JWT_SECRET").isEmpty()
                && current.apply("AUTH_JWKS_URI").isEmpty()) {
            values.put("BILLING_LOCAL_MODE", "true");
        }
        return values;
    }
}
