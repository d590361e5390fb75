package dev.kanmon.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One more delivery-service JVM ({@link ServiceJvm}) on its own HTTP port and management port
 * ({@link #managementPort}, HTTP + 100: health and metrics): it joins the stack's consumer group
 * {@code delivery-service} on {@code relay.outbound.v1} and produces to the same {@code relay.results.v1}, like
 * a second pod. Its Kafka client id is {@link #clientId}, so its member in the group can be told apart from the
 * stack's.
 */
final class DeliveryReplica implements AutoCloseable {

    final String clientId;
    final int httpPort;
    final int managementPort;
    private final ServiceJvm jvm;

    private DeliveryReplica(String clientId, int httpPort, ServiceJvm jvm) {
        this.clientId = clientId;
        this.httpPort = httpPort;
        this.managementPort = httpPort + 100;
        this.jvm = jvm;
    }

    /** Starts it and waits until {@code /q/health/ready} is UP (its consumer has joined the group). */
    static DeliveryReplica start(String name, int httpPort, String... properties) throws Exception {
        String clientId = "kanmon-delivery-" + name;
        List<String> props = new ArrayList<>(List.of(
                "quarkus.http.port=" + httpPort,
                "quarkus.management.port=" + (httpPort + 100),
                "mp.messaging.incoming.outbound.client.id=" + clientId));
        props.addAll(List.of(properties));
        return new DeliveryReplica(clientId, httpPort, ServiceJvm.start("delivery", name, props,
                () -> StackControl.httpOk("http://127.0.0.1:" + (httpPort + 100) + "/q/health/ready")));
    }

    long pid() {
        return jvm.process().pid();
    }

    /** {@code kill -9}: no shutdown hook runs, no offset is committed, no result in flight is produced. */
    void kill9() throws Exception {
        Proc.Result r = Proc.run(List.of("kill", "-9", String.valueOf(pid())), null, 10);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(jvm.process().waitFor(30, TimeUnit.SECONDS)).as("replica died").isTrue();
    }

    /** Delivered recipients counted by this JVM ({@code kanmon_delivery_recipients_total{status="delivered"}}). */
    double deliveredRecipients() {
        return StackControl.metricSum("http://127.0.0.1:" + managementPort + "/q/metrics",
                "kanmon_delivery_recipients_total", "status=\"delivered\"");
    }

    @Override
    public void close() throws Exception {
        jvm.close();
    }
}
