package com.anythingagents.billing.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code DATABASE_URL} in the forms people paste: {@code postgresql://user:pass@host:5432/db?sslmode=require},
 * {@code postgres://…} or {@code jdbc:postgresql://…} (credentials then in {@code user}/{@code password} params).
 */
public record DatabaseUrl(String jdbcUrl, String username, String password, String host, int port, String database) {

    static final int DEFAULT_PORT = 5432;

    /** Parses the value or explains in one sentence what is wrong with it. */
    public static DatabaseUrl parse(String value) {
        String text = value.strip();
        boolean jdbc = text.startsWith("jdbc:");
        String withoutJdbc = jdbc ? text.substring("jdbc:".length()) : text;
        URI uri;
        try {
            uri = new URI(withoutJdbc);
        } catch (URISyntaxException ex) {
            throw new IllegalArgumentException("DATABASE_URL is not a URL (" + ex.getReason() + ")");
        }
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("");
        if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
            throw new IllegalArgumentException(
                    "DATABASE_URL must start with postgresql://, postgres:// or jdbc:postgresql://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("DATABASE_URL has no host");
        }
        String path = Optional.ofNullable(uri.getPath()).orElse("");
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.isEmpty()) {
            throw new IllegalArgumentException("DATABASE_URL has no database name");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : DEFAULT_PORT;
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbcUrl = "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + database + query;
        return new DatabaseUrl(jdbcUrl, user, password, uri.getHost(), port, database);
    }

    /** Where we connect, for error messages: never contains the password. */
    public String describe() {
        return host + ":" + port + "/" + database + (username == null ? "" : " as " + username);
    }

    /** {@link #describe()}: never the password (a record would print it, as would the jdbc: query). */
    @Override
    public String toString() {
        return "DatabaseUrl[" + describe() + "]";
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
