package dev.kanmon.core.log;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Log lines about one message. The format starts with {@code queueId=%s} and the first parameter is the queue
 * id: text logs read {@code queueId=<ULID> ...}, and the id is also put in the MDC as {@code queueId} for the
 * duration of the call, so JSON logs carry it as a field ({@code "mdc":{"queueId":...}}) that a log store can
 * index. The call is synchronous, so the MDC entry cannot leak to another message on the same event loop.
 */
public final class QueueIdLog {

    private static final String KEY = "queueId";

    private QueueIdLog() {
    }

    public static void debugf(Logger log, String format, Object... params) {
        if (log.isDebugEnabled()) {
            emit(log, Logger.Level.DEBUG, null, format, params);
        }
    }

    public static void infof(Logger log, String format, Object... params) {
        emit(log, Logger.Level.INFO, null, format, params);
    }

    public static void warnf(Logger log, String format, Object... params) {
        emit(log, Logger.Level.WARN, null, format, params);
    }

    public static void errorf(Logger log, Throwable t, String format, Object... params) {
        emit(log, Logger.Level.ERROR, t, format, params);
    }

    private static void emit(Logger log, Logger.Level level, Throwable t, String format, Object[] params) {
        Object previous = MDC.get(KEY);
        MDC.put(KEY, params.length == 0 ? "-" : String.valueOf(params[0]));
        try {
            log.logf(level, t, format, params);
        } finally {
            if (previous == null) {
                MDC.remove(KEY);
            } else {
                MDC.put(KEY, previous);
            }
        }
    }
}
