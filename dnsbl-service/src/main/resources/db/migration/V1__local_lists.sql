-- The operator's local allow/deny networks (seed 000's "dial-up list" idea), checked before any DNSBL.
CREATE TABLE local_list (
    id         bigserial PRIMARY KEY,
    kind       text        NOT NULL CHECK (kind IN ('allow', 'deny')),
    cidr       cidr        NOT NULL,
    comment    text,
    created_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, cidr)
);

-- Containment lookups (cidr >>= client address) on every check.
CREATE INDEX local_list_cidr_idx ON local_list USING gist (cidr inet_ops);
