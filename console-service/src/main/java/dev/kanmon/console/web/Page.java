package dev.kanmon.console.web;

import dev.kanmon.console.backend.BackendException;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.function.Supplier;

/** What every page shows (who is logged in, which role, the last action's outcome) and how forms answer. */
@RequestScoped
public class Page {

    static final String OPERATOR = "relay-operator";
    static final String ADMIN = "relay-admin";

    private final SecurityIdentity identity;

    Page(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The template with the common data; {@code msg} and {@code err} come from the redirect after a form. */
    TemplateInstance of(Template template, String active, String msg, String err) {
        return template.data("user", identity.getPrincipal().getName())
                .data("admin", identity.hasRole(ADMIN))
                .data("active", active)
                .data("msg", msg)
                .data("err", err);
    }

    /**
     * Runs a form's action and answers with a redirect (post/redirect/get) to {@code back}, carrying the outcome:
     * the confirmation, or the API's reason for refusing.
     */
    static Response act(String back, Supplier<String> action) {
        String sep = back.contains("?") ? "&" : "?";
        try {
            return Response.seeOther(URI.create(back + sep + "msg=" + enc(action.get()))).build();
        } catch (BackendException e) {
            return Response.seeOther(URI.create(back + sep + "err=" + enc(e.getMessage()))).build();
        }
    }

    static String enc(String s) {
        return dev.kanmon.console.backend.Backend.enc(s);
    }
}
