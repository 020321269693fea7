package dev.pons.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** Creates what the black-box tests need through the public API, as a user would. */
public final class TestAccounts {

    public record TestAccount(String id, String apiKey) {
        public String path(String rest) {
            return "/api/v1/accounts/" + id + rest;
        }
    }

    private TestAccounts() {
    }

    public static TestAccount create() {
        Api.Reply reply = Api.post("/api/v1/accounts", Api.ADMIN_TOKEN,
                Json.createObjectBuilder().add("name", "test " + UUID.randomUUID()).build().toString());
        assertEquals(201, reply.status(), reply.body());
        JsonObject body = reply.json();
        return new TestAccount(body.getString("id"), body.getString("apiKey"));
    }

    /** A fresh numeric phone number id no other test uses. */
    public static String newPhoneNumberId() {
        return String.valueOf(100_000_000_000_000L + (long) (Math.random() * 899_999_999_999_999L));
    }

    /**
     * Registers the number for the account as the operator does, without proof (no Cloud API needed), with
     * the access token {@code "EAAG-test-token-" + phoneNumberId} stored for sending.
     */
    public static String registerNumber(TestAccount account, String phoneNumberId) {
        Api.Reply reply = Api.post(account.path("/numbers"), Api.ADMIN_TOKEN,
                Json.createObjectBuilder().add("phoneNumberId", phoneNumberId)
                        .add("displayPhoneNumber", "+15550783881").add("accessToken", "EAAG-test-token-" + phoneNumberId)
                        .build().toString());
        assertEquals(201, reply.status(), reply.body());
        return phoneNumberId;
    }

    /**
     * A JDBC connection to the running server's database, to check what is stored: PostgreSQL when the build
     * says so ({@code pons.it.dbUrl}, set by {@code -Pprod-topology}), else the server's H2 file (AUTO_SERVER mode).
     */
    public static Connection database() throws SQLException {
        String url = System.getProperty("pons.it.dbUrl", "");
        if (!url.isBlank()) {
            return DriverManager.getConnection(url, System.getProperty("pons.it.dbUser", ""),
                    System.getProperty("pons.it.dbPassword", ""));
        }
        String serverDir = System.getProperty("pons.it.serverDir", "target/liberty/wlp/usr/servers/defaultServer");
        return DriverManager.getConnection("jdbc:h2:" + serverDir + "/h2/pons;AUTO_SERVER=TRUE", "sa", "");
    }

    /** The envelope as the server stored it: what every delivery of the event must carry byte for byte. */
    public static String storedEventBody(String eventId) throws SQLException {
        try (Connection db = database();
             PreparedStatement query = db.prepareStatement("SELECT body FROM event WHERE id = ?")) {
            query.setString(1, eventId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new AssertionError("event " + eventId + " is not in the server's database");
                }
                return row.getString(1);
            }
        }
    }

    /** The server's log files as one string, to prove what never appears in them. */
    public static String serverLogs() throws java.io.IOException {
        String serverDir = System.getProperty("pons.it.serverDir", "target/liberty/wlp/usr/servers/defaultServer");
        StringBuilder all = new StringBuilder();
        try (var files = java.nio.file.Files.walk(java.nio.file.Path.of(serverDir, "logs"))) {
            for (var file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                all.append(java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }
}
