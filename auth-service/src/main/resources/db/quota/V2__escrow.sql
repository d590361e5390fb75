-- Escrow leases (docs/throttling.md): a submission session reserves a block of messages/recipients with the
-- same conditional counting as before, spends it in memory and returns the unused rest. Reserved units count
-- as used in quota.counter, so limits stay exact across replicas. Each call is one function call: one round
-- trip, one per-user advisory lock, each counter row touched once.

-- The session's current block: what was reserved when, and until when the session may spend it. escrow_seq
-- numbers the blocks so that a repeated or late return of an old block is ignored instead of returned twice.
ALTER TABLE session_lease
    ADD COLUMN escrow_seq        bigint  NOT NULL DEFAULT 0,
    ADD COLUMN escrow_messages   integer NOT NULL DEFAULT 0,
    ADD COLUMN escrow_recipients integer NOT NULL DEFAULT 0,
    ADD COLUMN escrow_at         timestamptz,
    ADD COLUMN escrow_expires    timestamptz;

CREATE FUNCTION quota.window_start(t timestamptz, seconds integer) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT to_timestamp(floor(extract(epoch FROM t) / seconds) * seconds) $$;

-- Gives the unspent rest of a lease's current block back to the windows it was taken from (which may have
-- rolled meanwhile) and clears the block. The rest is capped at what the block held.
CREATE FUNCTION quota.settle(p_lease uuid, p_seq bigint, p_messages_left integer, p_recipients_left integer)
    RETURNS void LANGUAGE plpgsql
AS $$
DECLARE
    l quota.session_lease%ROWTYPE;
    m integer;
    r integer;
BEGIN
    SELECT * INTO l FROM quota.session_lease WHERE lease_id = p_lease FOR UPDATE;
    IF NOT FOUND OR l.escrow_at IS NULL OR l.escrow_seq <> p_seq THEN
        RETURN;
    END IF;
    m := least(greatest(p_messages_left, 0), l.escrow_messages);
    r := least(greatest(p_recipients_left, 0), l.escrow_recipients);
    IF m > 0 OR r > 0 THEN
        UPDATE quota.counter c
           SET used = c.used - CASE c.metric WHEN 'messages' THEN m ELSE r END
         WHERE c.username = l.username
           AND ((c.metric = 'messages' AND m > 0
                 AND (c.window_seconds, c.window_start) IN ((60, quota.window_start(l.escrow_at, 60)),
                                                          (3600, quota.window_start(l.escrow_at, 3600)),
                                                          (86400, quota.window_start(l.escrow_at, 86400))))
             OR (c.metric = 'recipients' AND r > 0
                 AND c.window_seconds = 86400 AND c.window_start = quota.window_start(l.escrow_at, 86400)));
    END IF;
    UPDATE quota.session_lease
       SET escrow_messages = 0, escrow_recipients = 0, escrow_at = NULL, escrow_expires = NULL
     WHERE lease_id = p_lease;
END $$;

-- Settles the lease's previous block, then reserves a new one of up to p_want_* units (only p_need_* without
-- a lease: nothing could return the rest). A block never exceeds the room left in any window and shrinks to
-- room / p_divisor near a limit (at least p_need_*), so parallel sessions of the same user keep getting units.
-- All or nothing: when a needed unit does not fit, nothing is reserved and `refused` names the first full
-- window. If other sessions of the user hold unexpired blocks of that window, their rest may come back:
-- retry_ms asks the caller to try again instead of refusing for good.
CREATE FUNCTION quota.reserve(
    p_username text, p_lease uuid, p_seq bigint, p_messages_left integer, p_recipients_left integer,
    p_need_messages integer, p_need_recipients integer, p_want_messages integer, p_want_recipients integer,
    p_messages_per_minute integer, p_messages_per_hour integer, p_messages_per_day integer,
    p_recipients_per_day integer, p_suspended boolean, p_divisor integer, p_validity_ms integer, p_retry_ms integer)
    RETURNS TABLE (seq bigint, messages integer, recipients integer, valid_ms integer, refused text, retry_ms integer)
    LANGUAGE plpgsql
AS $$
DECLARE
    t timestamptz;
    windows constant integer[] := ARRAY[60, 3600, 86400];
    labels constant text[] := ARRAY['minute', 'hour', 'day'];
    limits constant integer[] := ARRAY[p_messages_per_minute, p_messages_per_hour, p_messages_per_day];
    leased boolean := false;
    n_m integer := p_need_messages;
    n_r integer := p_need_recipients;
    room bigint;
    why text;
    why_metric text;
    why_window integer;
    wait_ms integer := 0;
    expires timestamptz;
    next_seq bigint := p_seq;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext(p_username));
    t := clock_timestamp(); -- after the lock: windows and validity start when the counters are read
    IF p_lease IS NOT NULL THEN
        PERFORM quota.settle(p_lease, p_seq, p_messages_left, p_recipients_left);
        leased := EXISTS (SELECT 1 FROM quota.session_lease l WHERE l.lease_id = p_lease);
    END IF;
    IF leased THEN
        n_m := greatest(p_want_messages, p_need_messages);
        n_r := greatest(p_want_recipients, p_need_recipients);
    END IF;

    IF p_suspended THEN
        why := 'suspended';
    ELSE
        IF n_m > 0 THEN
            FOR i IN 1..3 LOOP
                room := limits[i] - coalesce((SELECT c.used FROM quota.counter c
                                               WHERE c.username = p_username AND c.metric = 'messages'
                                                 AND c.window_seconds = windows[i]
                                                 AND c.window_start = quota.window_start(t, windows[i])), 0);
                IF room < p_need_messages THEN
                    why := 'messages-per-' || labels[i];
                    why_metric := 'messages';
                    why_window := windows[i];
                    EXIT;
                END IF;
                n_m := least(n_m, greatest(p_need_messages, room / p_divisor));
            END LOOP;
        END IF;
        IF why IS NULL AND n_r > 0 THEN
            room := p_recipients_per_day - coalesce((SELECT c.used FROM quota.counter c
                                                      WHERE c.username = p_username AND c.metric = 'recipients'
                                                        AND c.window_seconds = 86400
                                                        AND c.window_start = quota.window_start(t, 86400)), 0);
            IF room < p_need_recipients THEN
                why := 'recipients-per-day';
                why_metric := 'recipients';
                why_window := 86400;
            ELSE
                n_r := least(n_r, greatest(p_need_recipients, room / p_divisor));
            END IF;
        END IF;
    END IF;

    IF why IS NOT NULL THEN
        IF leased AND why_metric IS NOT NULL THEN
            SELECT ceil(extract(epoch FROM max(l.escrow_expires) - t) * 1000) INTO wait_ms
              FROM quota.session_lease l
             WHERE l.username = p_username AND l.lease_id <> p_lease AND l.escrow_expires > t
               AND CASE why_metric WHEN 'messages' THEN l.escrow_messages ELSE l.escrow_recipients END > 0
               AND quota.window_start(l.escrow_at, why_window) = quota.window_start(t, why_window);
        END IF;
        wait_ms := least(coalesce(wait_ms, 0), p_retry_ms);
        IF wait_ms = 0 THEN
            -- a final refusal, for the "who is throttled today" report
            INSERT INTO quota.counter AS c (username, metric, window_seconds, window_start, used)
            VALUES (p_username, 'refused', 86400, quota.window_start(t, 86400), 1)
            ON CONFLICT (username, metric, window_seconds, window_start) DO UPDATE SET used = c.used + 1;
        END IF;
        RETURN QUERY SELECT p_seq, 0, 0, 0, why, wait_ms;
        RETURN;
    END IF;

    INSERT INTO quota.counter AS c (username, metric, window_seconds, window_start, used)
    SELECT p_username, 'messages', w, quota.window_start(t, w), n_m FROM unnest(windows) AS w WHERE n_m > 0
    UNION ALL
    SELECT p_username, 'recipients', 86400, quota.window_start(t, 86400), n_r WHERE n_r > 0
    ON CONFLICT (username, metric, window_seconds, window_start) DO UPDATE SET used = c.used + EXCLUDED.used;

    IF leased AND (n_m > 0 OR n_r > 0) THEN
        -- spent units belong to the windows they were counted in: a block ends with its minute
        expires := least(t + make_interval(secs => p_validity_ms / 1000.0), quota.window_start(t, 60) + interval '60 seconds');
        UPDATE quota.session_lease l
           SET escrow_seq = l.escrow_seq + 1, escrow_messages = n_m, escrow_recipients = n_r,
               escrow_at = t, escrow_expires = expires
         WHERE l.lease_id = p_lease
        RETURNING l.escrow_seq INTO next_seq;
        RETURN QUERY SELECT next_seq, n_m, n_r, floor(extract(epoch FROM expires - t) * 1000)::integer, NULL::text, 0;
    ELSE
        -- without a lease the units are spent at once: nothing stays in escrow
        RETURN QUERY SELECT p_seq, n_m, n_r, 0, NULL::text, 0;
    END IF;
END $$;

-- Admits a session below its concurrent-session limit and, for escrow-aware callers, reserves its first block
-- in the same call. The advisory lock makes count-then-insert atomic across replicas.
CREATE FUNCTION quota.open_session(
    p_username text, p_lease uuid, p_ttl_seconds integer, p_max_sessions integer, p_escrow boolean,
    p_want_messages integer, p_want_recipients integer,
    p_messages_per_minute integer, p_messages_per_hour integer, p_messages_per_day integer,
    p_recipients_per_day integer, p_divisor integer, p_validity_ms integer)
    RETURNS TABLE (opened boolean, seq bigint, messages integer, recipients integer, valid_ms integer)
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext(p_username));
    IF (SELECT count(*) FROM quota.session_lease l
         WHERE l.username = p_username AND l.expires_at > now()) >= p_max_sessions THEN
        RETURN QUERY SELECT false, 0::bigint, 0, 0, 0;
        RETURN;
    END IF;
    INSERT INTO quota.session_lease (lease_id, username, expires_at)
    VALUES (p_lease, p_username, now() + make_interval(secs => p_ttl_seconds));
    IF NOT p_escrow THEN
        RETURN QUERY SELECT true, 0::bigint, 0, 0, 0;
        RETURN;
    END IF;
    RETURN QUERY SELECT true, r.seq, r.messages, r.recipients, r.valid_ms
                   FROM quota.reserve(p_username, p_lease, 0, 0, 0, 0, 0, p_want_messages, p_want_recipients,
                                      p_messages_per_minute, p_messages_per_hour, p_messages_per_day,
                                      p_recipients_per_day, false, p_divisor, p_validity_ms, 0) r;
END $$;

-- Ends a session: returns the rest of its block and drops the lease.
CREATE FUNCTION quota.close_session(p_lease uuid, p_seq bigint, p_messages_left integer, p_recipients_left integer)
    RETURNS void LANGUAGE plpgsql
AS $$
DECLARE
    u text;
BEGIN
    SELECT l.username INTO u FROM quota.session_lease l WHERE l.lease_id = p_lease;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    -- same lock order as quota.reserve: user first, then lease and counter rows
    PERFORM pg_advisory_xact_lock(hashtext(u));
    PERFORM quota.settle(p_lease, p_seq, p_messages_left, p_recipients_left);
    DELETE FROM quota.session_lease WHERE lease_id = p_lease;
END $$;

-- Every replica caches limits; a change of a plan or a subscriber row tells them all to forget it.
CREATE FUNCTION quota.subscriber_changed() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_notify('quota_limits', CASE TG_OP WHEN 'DELETE' THEN OLD.username ELSE NEW.username END);
    RETURN NULL;
END $$;

CREATE FUNCTION quota.plan_changed() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_notify('quota_limits', '*');
    RETURN NULL;
END $$;

CREATE TRIGGER subscriber_changed AFTER INSERT OR UPDATE OR DELETE ON subscriber
    FOR EACH ROW EXECUTE FUNCTION quota.subscriber_changed();
CREATE TRIGGER plan_changed AFTER INSERT OR UPDATE OR DELETE ON plan
    FOR EACH STATEMENT EXECUTE FUNCTION quota.plan_changed();
