package dev.kanmon.console.metrics;

import java.time.Instant;

/**
 * One reading of the queue-service's metrics.
 *
 * @param at        when
 * @param intaken   messages taken into the queue since its start (counter)
 * @param delivered recipients delivered since its start (counter)
 * @param deferred  deferrals since its start (counter)
 * @param failed    permanent failures since its start (counter)
 * @param depth     recipients pending now (queued, delivering, deferred, held)
 * @param held      recipients held now
 */
public record Sample(Instant at, double intaken, double delivered, double deferred, double failed, double depth,
        double held) {
}
