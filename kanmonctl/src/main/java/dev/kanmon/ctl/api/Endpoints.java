package dev.kanmon.ctl.api;

import java.net.URI;
import java.util.Map;

/**
 * Where Keycloak's realm and the three services with operator APIs are. Defaults are the local stack's addresses
 * (docs/local-stack.md); a deployment sets the environment variables once (docs/operations.md, "kanmonctl").
 *
 * @param realm Keycloak realm URL ({@code KANMONCTL_REALM_URL})
 * @param auth  the auth-service ({@code KANMONCTL_AUTH_URL}): subscribers, plans, bans, app passwords
 * @param queue the queue-service ({@code KANMONCTL_QUEUE_URL}): queue, abuse automation, audit record
 * @param dnsbl the dnsbl-service ({@code KANMONCTL_DNSBL_URL}): local allow/deny lists
 */
public record Endpoints(URI realm, URI auth, URI queue, URI dnsbl) {

    public static Endpoints of(Map<String, String> env) {
        return new Endpoints(
                uri(env, "KANMONCTL_REALM_URL", "http://127.0.0.1:18080/realms/kanmon"),
                uri(env, "KANMONCTL_AUTH_URL", "http://127.0.0.1:18082"),
                uri(env, "KANMONCTL_QUEUE_URL", "http://127.0.0.1:18083"),
                uri(env, "KANMONCTL_DNSBL_URL", "http://127.0.0.1:18085"));
    }

    private static URI uri(Map<String, String> env, String name, String fallback) {
        String value = env.getOrDefault(name, fallback);
        return URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
    }
}
