package dev.kanmon.submission.auth.window;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Login-before-SMTP on the submission port 587 ({@code kanmon.submission.login-window.*}, docs/authentication.md). */
@ConfigMapping(prefix = "kanmon.submission.login-window")
public interface LoginWindowConfig {

    /**
     * A MAIL without AUTH on 587 (after STARTTLS) asks the auth-service whether a login at the ISP opened a window
     * for the client address, and if so the session runs as that user. Off: such a MAIL gets {@code 530 5.7.0}, as
     * always. Needs {@code kanmon.auth.login-window.enabled} on the auth-service, which keeps the windows.
     */
    @WithDefault("false")
    boolean enabled();
}
