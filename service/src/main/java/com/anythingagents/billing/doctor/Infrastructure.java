package com.anythingagents.billing.doctor;

import com.anythingagents.billing.config.DatabaseUrl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;

/**
 * Can the service reach its database and Redis? Each probe answers in a few seconds with a finding
 * that names where it connected (never the password) and, when it failed, what to do.
 */
public final class Infrastructure {

    static final int TIMEOUT_SECONDS = 5;

    private static final String DATABASE_FIX =
            "start it (`make dev-up` starts PostgreSQL and Redis for development) or correct DATABASE_URL";

    private static final String REDIS_FIX = "start it (`make dev-up`) or correct REDIS_URL";

    private Infrastructure() {}

    /** Connects to {@code DATABASE_URL} and reports the server's version. */
    public static Finding database(String url) {
        DatabaseUrl database;
        try {
            database = DatabaseUrl.parse(url);
        } catch (IllegalArgumentException ex) {
            return Finding.error("database", ex.getMessage(), "correct DATABASE_URL");
        }
        try (Connection connection = connect(database)) {
            return Finding.ok(
                    "database",
                    database.describe() + " answers (PostgreSQL "
                            + connection.getMetaData().getDatabaseProductVersion() + ")");
        } catch (SQLException ex) {
            return Finding.error(
                    "database", database.describe() + " does not answer: " + firstLine(ex.getMessage()), DATABASE_FIX);
        }
    }

    /** A connection with short timeouts: a check must not hang on a black-holed host. */
    static Connection connect(DatabaseUrl database) throws SQLException {
        Properties properties = new Properties();
        Optional.ofNullable(database.username()).ifPresent(user -> properties.setProperty("user", user));
        Optional.ofNullable(database.password()).ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
        properties.setProperty("loginTimeout", Integer.toString(TIMEOUT_SECONDS));
        properties.setProperty("socketTimeout", Integer.toString(2 * TIMEOUT_SECONDS));
        return DriverManager.getConnection(database.jdbcUrl(), properties);
    }

    /** Sends {@code PING} (after {@code AUTH} when the URL has a password) and expects {@code PONG}. */
    public static Finding redis(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException ex) {
            return Finding.error("redis", "REDIS_URL is not a URL", "correct REDIS_URL");
        }
        String where = uri.getHost() + ":" + port(uri);
        try (Socket socket = open(uri)) {
            OutputStream out = socket.getOutputStream();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            Optional<String> auth = authCommand(uri);
            if (auth.isPresent()) {
                out.write(auth.get().getBytes(StandardCharsets.UTF_8));
                String answer = String.valueOf(in.readLine());
                if (!answer.startsWith("+OK")) {
                    return Finding.error(
                            "redis",
                            where + " refused the credentials in REDIS_URL (" + answer.replaceFirst("^-", "") + ")",
                            "correct the user name or password in REDIS_URL");
                }
            }
            out.write(command("PING").getBytes(StandardCharsets.UTF_8));
            String answer = String.valueOf(in.readLine());
            if (answer.startsWith("+PONG")) {
                return Finding.ok("redis", where + " answers PING");
            }
            return Finding.error(
                    "redis",
                    where + " answered PING with " + answer.replaceFirst("^-", ""),
                    answer.contains("NOAUTH")
                            ? "put the password in REDIS_URL (redis://:password@host:port)"
                            : REDIS_FIX);
        } catch (IOException ex) {
            return Finding.error("redis", where + " does not answer: " + ex.getMessage(), REDIS_FIX);
        }
    }

    private static Socket open(URI uri) throws IOException {
        Socket socket =
                "rediss".equals(uri.getScheme()) ? SSLSocketFactory.getDefault().createSocket() : new Socket();
        socket.connect(new InetSocketAddress(uri.getHost(), port(uri)), TIMEOUT_SECONDS * 1000);
        socket.setSoTimeout(TIMEOUT_SECONDS * 1000);
        return socket;
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : 6379;
    }

    private static Optional<String> authCommand(URI uri) {
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null || userInfo.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = userInfo.split(":", 2);
        String user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        if (parts.length == 1) {
            return Optional.of(command("AUTH", user)); // redis://password@host, as some providers print it
        }
        String password = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
        return Optional.of(user.isEmpty() ? command("AUTH", password) : command("AUTH", user, password));
    }

    /** A command in RESP, Redis's wire format. */
    private static String command(String... words) {
        StringBuilder resp = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            resp.append('$')
                    .append(word.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n")
                    .append(word)
                    .append("\r\n");
        }
        return resp.toString();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no answer";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
