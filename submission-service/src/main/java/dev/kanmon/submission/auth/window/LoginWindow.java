package dev.kanmon.submission.auth.window;

import dev.kanmon.submission.auth.client.AuthResult;
import dev.kanmon.submission.auth.client.AuthServiceClient;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Asks the auth-service for the login-before-SMTP window of a client address. Only for the submission listener
 * (587): 465 stays AUTH-only (its clients are modern and can authenticate) and port 25 never relays on a window.
 */
@ApplicationScoped
public class LoginWindow {

    private final boolean enabled;
    private final AuthServiceClient client;

    LoginWindow(LoginWindowConfig config, AuthServiceClient client) {
        this.enabled = config.enabled();
        this.client = client;
    }

    public boolean enabled() {
        return enabled;
    }

    /** SUCCESS with the window's user, FAILURE without a window, TEMPFAIL when the auth-service cannot answer. */
    public Future<AuthResult> lookup(String clientIp) {
        return client.window(clientIp);
    }
}
