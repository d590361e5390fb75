package dev.kanmon.ctl.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kanmon.ctl.api.CliException;
import dev.kanmon.ctl.api.Exit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * The session file: {@code $KANMONCTL_HOME/session.json}, by default {@code ~/.config/kanmonctl/session.json}. Written
 * owner-only, as it holds tokens (and the client secret of an automation login).
 */
public final class SessionStore {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Path file;

    public SessionStore(Path file) {
        this.file = file;
    }

    public static SessionStore of(Map<String, String> env) {
        String home = env.get("KANMONCTL_HOME");
        Path dir = home != null ? Path.of(home) : Path.of(System.getProperty("user.home"), ".config", "kanmonctl");
        return new SessionStore(dir.resolve("session.json"));
    }

    public Optional<Session> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Session.class));
        } catch (IOException e) {
            throw new CliException(Exit.NOT_LOGGED_IN, "unreadable session " + file + " (" + e.getMessage()
                    + "): run kanmonctl login");
        }
    }

    public void save(Session session) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("session.json.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            JSON.writeValue(tmp.toFile(), session);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException(Exit.FAILED, "cannot write " + file + ": " + e.getMessage());
        }
    }

    public boolean delete() {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CliException(Exit.FAILED, "cannot delete " + file + ": " + e.getMessage());
        }
    }
}
