-- Abuse automation (docs/abuse.md): a slow-down puts the subscriber on the plan 'abuse-slowdown' and remembers the
-- plan it replaced (NULL: the default plan), which the end of the slow-down restores. Operators may edit the plan's
-- limits like any other (PUT /api/v1/quota/plans/abuse-slowdown).
ALTER TABLE subscriber
    ADD COLUMN abuse_slowed      boolean NOT NULL DEFAULT false,
    ADD COLUMN abuse_plan_before text;

INSERT INTO plan (name, messages_per_minute, messages_per_hour, messages_per_day,
                  recipients_per_message, recipients_per_day, concurrent_sessions)
VALUES ('abuse-slowdown', 10, 60, 200, 20, 300, 2)
ON CONFLICT (name) DO NOTHING;
