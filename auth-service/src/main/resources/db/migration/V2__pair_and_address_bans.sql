-- Bans per (client address, login) pair first, per address only on a spread of logins (issue 12). The per-user ban
-- locked a subscriber out from every address, and the per-address ban on a few failures hit everyone behind a
-- carrier-grade NAT. Counters and bans are shared by all auth-service replicas, as before.

-- Failed checks of one login from one address per fixed window.
CREATE TABLE auth.pair_failure (
    address      text NOT NULL,
    login        text NOT NULL,
    window_start timestamptz NOT NULL,
    failures     integer NOT NULL,
    PRIMARY KEY (address, login, window_start)
);
CREATE INDEX pair_failure_start ON auth.pair_failure (window_start);

-- Per address and window: all failed checks, and how many distinct logins failed (bumped when a pair's first
-- failure of the window is inserted, in the same statement, so it is exact across replicas).
CREATE TABLE auth.address_failure (
    address      text NOT NULL,
    window_start timestamptz NOT NULL,
    failures     integer NOT NULL,
    logins       integer NOT NULL,
    PRIMARY KEY (address, window_start)
);
CREATE INDEX address_failure_start ON auth.address_failure (window_start);

-- The old 'ip:'/'user:' counters mean something else.
DROP TABLE auth.failure_window;

-- Active IP bans carry over as address bans; user bans are dropped (no ban locks a login out everywhere any more).
ALTER TABLE auth.ban ADD COLUMN address text, ADD COLUMN login text, ADD COLUMN logins integer NOT NULL DEFAULT 1;
DELETE FROM auth.ban WHERE kind <> 'ip';
UPDATE auth.ban SET kind = 'address', address = value, key = 'address:' || value;
ALTER TABLE auth.ban DROP COLUMN value, ALTER COLUMN address SET NOT NULL;
