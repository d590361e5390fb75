package dev.kanmon.core.abuse;

import java.time.Instant;
import java.util.Map;

/**
 * One step of the graduated response, published on {@value AbuseTopics#EVENTS} (key = user name) when it is decided.
 *
 * @param id        the audit record's id
 * @param at        when it was decided
 * @param username  the subscriber
 * @param action    what was decided
 * @param actor     who decided: {@code abuse-automation} or the operator's user name
 * @param automatic whether the automation decided it
 * @param reason    why, in words
 * @param score     the subscriber's score when it was decided
 * @param signals   the signals and their values behind it
 * @param plan      for {@link AbuseAction#SLOW_DOWN} the plan to apply, else null (the end of a slow-down restores the
 *                  plan the auth-service kept when it applied it)
 */
public record AbuseEvent(long id, Instant at, String username, AbuseAction action, String actor, boolean automatic,
        String reason, int score, Map<String, Double> signals, String plan) {

    public AbuseEvent {
        signals = signals == null ? Map.of() : Map.copyOf(signals);
    }
}
