package dev.kanmon.submission.message;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/** A broker address where nothing listens, and short producer timeouts. */
public final class KafkaDownProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "kanmon.submission.queue.bootstrap-servers", "127.0.0.1:" + closedPort(),
                "kanmon.submission.queue.max-block", "2s",
                "kanmon.submission.queue.request-timeout", "1s",
                "kanmon.submission.queue.delivery-timeout", "2s");
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
