-- Ends many sessions in one call (docs/throttling.md, "Group commit of session ends"): the submission service
-- gathers the ends of its sessions for a few milliseconds and sends them together, so that a burst of short
-- sessions costs one round trip and one transaction instead of one each. Leases are closed in user-name order:
-- each close takes its user's advisory lock until the end of the transaction, and two batches taking them in the
-- same order cannot deadlock (every other ledger call holds a single user's lock). Unknown leases are skipped.
CREATE FUNCTION quota.close_sessions(p_leases uuid[], p_seqs bigint[], p_messages_left integer[],
                                     p_recipients_left integer[])
    RETURNS integer LANGUAGE plpgsql
AS $$
DECLARE
    c record;
    n integer := 0;
BEGIN
    FOR c IN SELECT t.lease, t.seq, t.m, t.r
               FROM unnest(p_leases, p_seqs, p_messages_left, p_recipients_left) AS t(lease, seq, m, r)
               JOIN quota.session_lease l ON l.lease_id = t.lease
              ORDER BY l.username, t.lease
    LOOP
        PERFORM quota.close_session(c.lease, c.seq, c.m, c.r);
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;
