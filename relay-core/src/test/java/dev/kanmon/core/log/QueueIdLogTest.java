package dev.kanmon.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

class QueueIdLogTest {

    static {
        // Plain JUL underneath (the services use JBoss LogManager; the MDC contract is the same).
        System.setProperty("org.jboss.logging.provider", "jdk");
    }

    @Test
    void theQueueIdIsInTheMdcWhileTheLineIsWrittenAndGoneAfterwards() {
        List<String> seen = new ArrayList<>();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("queue-id-log-test");
        jul.setUseParentHandlers(false);
        jul.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                seen.add(record.getMessage() + " | mdc=" + MDC.get("queueId"));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        Logger log = Logger.getLogger("queue-id-log-test");

        QueueIdLog.infof(log, "queueId=%s to=<%s> status=%s", "01M8XCEKYKX31BEE5VCPC09RWZ", "bob@dest.test", "delivered");
        MDC.put("queueId", "outer");
        QueueIdLog.warnf(log, "queueId=%s not queued", "01M8XCEKYKX31BEE5VCPC09RXX");

        assertThat(seen).containsExactly(
                "queueId=01M8XCEKYKX31BEE5VCPC09RWZ to=<bob@dest.test> status=delivered | mdc=01M8XCEKYKX31BEE5VCPC09RWZ",
                "queueId=01M8XCEKYKX31BEE5VCPC09RXX not queued | mdc=01M8XCEKYKX31BEE5VCPC09RXX");
        assertThat(MDC.get("queueId")).as("an outer value is restored").isEqualTo("outer");
        MDC.remove("queueId");
    }
}
