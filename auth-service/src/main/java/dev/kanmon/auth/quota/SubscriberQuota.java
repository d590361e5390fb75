package dev.kanmon.auth.quota;

import java.util.List;

/** What an operator sees for one subscriber: limits in force and current usage. */
public record SubscriberQuota(String username, Limits limits, List<Usage> usage, long liveSessions) {
}
