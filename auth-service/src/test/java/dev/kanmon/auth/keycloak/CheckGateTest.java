package dev.kanmon.auth.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CheckGateTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.closeAndAwait();
    }

    @Test
    void runsAtMostTheLimitAndTheRestInArrivalOrder() throws Exception {
        CheckGate gate = new CheckGate(vertx, 2, 60_000);
        List<UniEmitter<? super String>> started = new CopyOnWriteArrayList<>();
        List<String> order = new CopyOnWriteArrayList<>();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "check-" + i;
            results.add(gate.run(() -> Uni.createFrom().<String>emitter(e -> {
                order.add(name);
                started.add(e);
            })).subscribeAsCompletionStage());
        }
        assertThat(order).containsExactly("check-0", "check-1");
        assertThat(gate.running()).isEqualTo(2);
        assertThat(gate.waiting()).isEqualTo(3);

        started.get(1).complete("one");
        assertThat(results.get(1).get(5, TimeUnit.SECONDS)).isEqualTo("one");
        assertThat(order).containsExactly("check-0", "check-1", "check-2");

        started.get(0).fail(new IllegalStateException("Keycloak said no"));
        assertThat(results.get(0)).failsWithin(5, TimeUnit.SECONDS);
        assertThat(order).as("a failed check frees its slot too").containsExactly("check-0", "check-1", "check-2",
                "check-3");
        started.get(2).complete("two");
        started.get(3).complete("three");
        started.get(4).complete("four");
        assertThat(results.get(4).get(5, TimeUnit.SECONDS)).isEqualTo("four");
        assertThat(gate.running()).isZero();
        assertThat(gate.waiting()).isZero();
    }

    @Test
    void aCheckThatGetsNoSlotInTimeFailsWithoutEverStarting() throws Exception {
        CheckGate gate = new CheckGate(vertx, 1, 100);
        List<String> order = new CopyOnWriteArrayList<>();
        List<UniEmitter<? super String>> started = new CopyOnWriteArrayList<>();
        gate.run(() -> Uni.createFrom().<String>emitter(e -> {
            order.add("first");
            started.add(e);
        })).subscribeAsCompletionStage();
        CompletableFuture<String> late = gate.run(() -> Uni.createFrom().<String>emitter(e -> order.add("late")))
                .subscribeAsCompletionStage();

        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> late.get(5, TimeUnit.SECONDS));
        assertThat(failure.getCause()).isInstanceOf(CheckGate.QueueTimeout.class);
        assertThat(gate.waiting()).isZero();

        started.get(0).complete("done");
        assertThat(order).as("the timed-out check never reaches Keycloak").containsExactly("first");
        assertThat(gate.running()).isZero();
    }
}
