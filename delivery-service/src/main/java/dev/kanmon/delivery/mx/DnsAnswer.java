package dev.kanmon.delivery.mx;

import java.time.Duration;
import java.util.List;

/**
 * A definite answer to one DNS question, as cached: the data of the records asked for (empty for NODATA or
 * NXDOMAIN) and how long it may be reused. Temporary failures are never answers: they fail the lookup.
 *
 * @param nxdomain the name does not exist
 * @param records  decoded record data of the asked type, in answer order
 * @param ttl      how long the answer is cached (the record set's smallest TTL, bounded by the configuration)
 */
public record DnsAnswer<T>(boolean nxdomain, List<T> records, Duration ttl) {

    public DnsAnswer {
        records = List.copyOf(records);
    }
}
