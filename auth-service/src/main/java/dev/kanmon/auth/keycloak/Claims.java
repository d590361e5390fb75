package dev.kanmon.auth.keycloak;

import dev.kanmon.auth.credential.Identity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns Keycloak token claims or admin-API user representations into an {@link Identity}. */
public final class Claims {

    private Claims() {
    }

    /** From token claims: {@code sub}, {@code preferred_username}, {@code email}, {@code mail_aliases}. */
    public static Identity fromClaims(String sub, String preferredUsername, String email, Object mailAliases) {
        return new Identity(sub, preferredUsername, addresses(email, mailAliases));
    }

    /** From an admin-API UserRepresentation: {@code id}, {@code username}, {@code email}, {@code attributes.mailAliases}. */
    static DirectoryUser fromRepresentation(JsonObject user) {
        JsonObject attributes = user.getJsonObject("attributes", new JsonObject());
        Identity identity = new Identity(user.getString("id"), user.getString("username"),
                addresses(user.getString("email"), attributes.getValue("mailAliases")));
        return new DirectoryUser(identity, user.getBoolean("enabled", false));
    }

    /** Primary address first, then the aliases, without duplicates. */
    static List<String> addresses(String email, Object aliases) {
        Set<String> result = new LinkedHashSet<>();
        if (email != null && !email.isBlank()) {
            result.add(email);
        }
        for (Object alias : asList(aliases)) {
            // Claims read through MicroProfile JWT are jakarta.json values: take the string, not its JSON form.
            String value = alias instanceof jakarta.json.JsonString json ? json.getString()
                    : alias == null ? null : alias.toString();
            if (value != null && !value.isBlank()) {
                result.add(value);
            }
        }
        return new ArrayList<>(result);
    }

    private static List<?> asList(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof JsonArray array) {
            return array.getList();
        }
        if (value instanceof List<?> list) { // also jakarta.json.JsonArray
            return list;
        }
        return List.of(value.toString());
    }
}
