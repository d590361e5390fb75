package dev.kanmon.submission.message;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A producer {@code max.request.size} below the message size: the SIZE limit and Kafka disagree. */
public final class SmallRecordProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("kanmon.submission.queue.max-request-size", "1024");
    }
}
