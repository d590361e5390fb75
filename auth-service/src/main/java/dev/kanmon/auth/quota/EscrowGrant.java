package dev.kanmon.auth.quota;

/**
 * A block of quota reserved for one submission session: counted as used in the ledger, spent by the session in
 * memory, its unspent rest returned with {@code seq} at the next reservation or at the end of the session.
 *
 * @param seq         number of the block, quoted when returning its rest (a stale return is ignored)
 * @param messages    messages reserved (each counted in the minute, hour and day windows)
 * @param recipients  recipients reserved (daily window)
 * @param validMillis how long, from the moment the request was sent, the session may spend the block; 0 for
 *                    units that were needed at once and are spent already
 */
public record EscrowGrant(long seq, int messages, int recipients, int validMillis) {

    static final EscrowGrant NONE = new EscrowGrant(0, 0, 0, 0);
}
