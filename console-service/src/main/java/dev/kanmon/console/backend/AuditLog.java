package dev.kanmon.console.backend;

import dev.kanmon.console.backend.Backend.Service;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit log as one list: the auth-service's part (subscribers, plans, bans, app passwords), the
 * queue-service's (queue actions, abuse automation) and the dnsbl-service's (local lists), newest first.
 */
@ApplicationScoped
public class AuditLog {

    private final Backend backend;

    AuditLog(Backend backend) {
        this.backend = backend;
    }

    @SuppressWarnings("unchecked")
    public List<Object> entries(Map<String, Object> filter, int limit) {
        Map<String, Object> query = new LinkedHashMap<>(filter);
        query.put("limit", limit);
        String q = Backend.query(query);
        List<Object> all = new ArrayList<>(backend.list(Service.AUTH, "/api/v1/audit" + q));
        all.addAll(backend.list(Service.QUEUE, "/api/v1/abuse/audit" + q));
        all.addAll(backend.list(Service.DNSBL, "/api/v1/audit" + q));
        all.sort(Comparator.comparing((Object e) -> Instant.parse(String.valueOf(((Map<String, Object>) e).get("at"))))
                .reversed());
        return all.size() > limit ? all.subList(0, limit) : all;
    }
}
