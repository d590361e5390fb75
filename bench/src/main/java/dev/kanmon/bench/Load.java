package dev.kanmon.bench;

import java.time.Duration;

/** One bounded load run: it stops by itself after {@code limit} at the latest. */
interface Load {
    Report run(Duration limit) throws Exception;
}
