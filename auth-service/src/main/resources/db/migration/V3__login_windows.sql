-- Login-before-SMTP (issue 11 item 3, docs/authentication.md): the last login of a user from a client address, at
-- Keycloak (the extension's LOGIN events) or at the ISP's mail store (POP/IMAP, reported through the admin API).
-- Shared by all auth-service replicas: the replica that consumed the event is rarely the one a submission asks.
-- One row per (address, user): an address with rows of two users within the sharing look-back grants nothing.
CREATE TABLE auth.login_window (
    address      text NOT NULL,        -- canonical client address (IPv6: its /64 network)
    username     text NOT NULL,        -- Keycloak user name, lower case
    source       text NOT NULL,        -- 'keycloak' or the mail store's service ('pop3', 'imap')
    logged_in_at timestamptz NOT NULL, -- the window runs from here
    PRIMARY KEY (address, username)
);
CREATE INDEX login_window_logged_in_at ON auth.login_window (logged_in_at);
