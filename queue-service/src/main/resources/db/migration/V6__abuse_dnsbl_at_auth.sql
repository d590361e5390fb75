-- Abuse automation: when the subscriber last logged in from a client address the DNSBL listed at AUTH (the
-- submission-service's verdict, carried by the auth-service's login observation), for the signal dnsbl_listed
-- (docs/abuse.md).
alter table abuse_subscriber add column dnsbl_listed_at timestamptz;
