package dev.kanmon.queue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Direct JDBC access to the queue schema for assertions and for setting up due retries. */
public final class TestDb {

    private TestDb() {
    }

    public static Connection connect() throws SQLException {
        Config c = ConfigProvider.getConfig();
        return DriverManager.getConnection(c.getValue("quarkus.datasource.jdbc.url", String.class),
                c.getValue("quarkus.datasource.username", String.class),
                c.getValue("quarkus.datasource.password", String.class));
    }

    /** address → state of the message's recipients. */
    public static Map<String, String> states(String queueId) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(
                        "select address, state from queue.recipient where queue_id = ? order by position")) {
            ps.setString(1, queueId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** address → recipient id, once the message is stored. */
    public static Map<String, Long> recipientIds(String queueId) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(
                        "select address, id from queue.recipient where queue_id = ? order by position")) {
            ps.setString(1, queueId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    public static long count(String sql, Object... args) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public static int update(String sql, Object... args) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }
}
