package dev.kanmon.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sets or removes one topic config with the AdminClient (the local stack has the broker jars but
 * not kafka-configs.sh). Used for {@code --durability fsync}: {@code flush.messages=1} makes the
 * broker fsync the log after every record batch, before it acknowledges, like Postfix's cleanup
 * fsyncs the queue file before 250.
 */
final class TopicConfig {
    private TopicConfig() {
    }

    /**
     * alter null: only describe. Otherwise value null deletes the override (back to the broker
     * default). Returns the effective value of {@code show} afterwards.
     */
    static Report apply(String bootstrap, String topic, String alter, String value, String show) throws Exception {
        String key = alter;
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000))) {
            if (value != null || key != null) {
                AlterConfigOp op = value == null
                        ? new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE)
                        : new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
                admin.incrementalAlterConfigs(Map.of(res, List.of(op))).all().get(30, TimeUnit.SECONDS);
            }
            ConfigEntry now = admin.describeConfigs(List.of(res)).all().get(30, TimeUnit.SECONDS).get(res).get(show);
            return new Report().put("topic", topic).put(show, now == null ? "-" : now.value())
                    .put("source", now == null ? "-" : now.source());
        }
    }
}
