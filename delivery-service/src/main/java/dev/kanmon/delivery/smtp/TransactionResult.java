package dev.kanmon.delivery.smtp;

import dev.kanmon.core.queue.RecipientResult;
import java.util.List;

/**
 * The outcome of one mail transaction.
 *
 * @param results  one per recipient
 * @param reusable whether the connection is in a clean state for another transaction
 */
public record TransactionResult(List<RecipientResult> results, boolean reusable) {

    public TransactionResult {
        results = List.copyOf(results);
    }
}
