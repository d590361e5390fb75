package dev.kanmon.submission.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionEndsTest {

    private final Vertx vertx = Vertx.vertx();
    private final List<JsonArray> sent = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        vertx.close();
    }

    private Future<?> send(JsonArray batch) {
        sent.add(batch);
        return Future.succeededFuture();
    }

    @Test
    void endsWithinTheLingerGoTogetherInOneCall() {
        SessionEnds ends = new SessionEnds(vertx, 200, 256, this::send);
        ends.add("lease-1", 1, 10, 20);
        ends.add("lease-2", 3, 0, 5);
        ends.add("lease-3", 1, 7, 19);
        assertThat(sent).as("nothing before the linger ends").isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);
        JsonArray batch = sent.get(0);
        assertThat(batch.size()).isEqualTo(3);
        assertThat(batch.getJsonObject(1).getMap()).containsEntry("leaseId", "lease-2").containsEntry("seq", 3L)
                .containsEntry("messagesLeft", 0).containsEntry("recipientsLeft", 5);

        ends.add("lease-4", 1, 10, 20);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 2);
        assertThat(sent.get(1).size()).as("a later end starts a new batch").isEqualTo(1);
    }

    @Test
    void aFullBatchGoesAtOnceAndFlushSendsTheRest() {
        SessionEnds ends = new SessionEnds(vertx, 60_000, 2, this::send);
        ends.add("lease-1", 1, 10, 20);
        ends.add("lease-2", 1, 10, 20);
        assertThat(sent).hasSize(1);
        ends.add("lease-3", 1, 10, 20);
        assertThat(ends.flush().succeeded()).isTrue();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).getJsonObject(0).getString("leaseId")).isEqualTo("lease-3");
        assertThat(ends.flush().succeeded()).as("nothing pending: nothing sent").isTrue();
        assertThat(sent).hasSize(2);
    }

    @Test
    void withoutALingerEveryEndGoesAlone() {
        SessionEnds ends = new SessionEnds(vertx, 0, 256, this::send);
        ends.add("lease-1", 1, 10, 20);
        ends.add("lease-2", 1, 10, 20);
        assertThat(sent).hasSize(2);
    }
}
