package dev.kanmon.ctl.cli;

import dev.kanmon.ctl.api.CliException;
import dev.kanmon.ctl.api.Exit;
import dev.kanmon.ctl.auth.Session;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Logs in with the device authorisation grant (people) or client credentials (automation), and keeps the session. */
@Command(name = "login", description = {"Log in through Keycloak.",
        "Without options: the device authorisation grant; open the address shown, log in and confirm the code.",
        "With --client-credentials: a service account (client secret from --client-secret or"
                + " KANMONCTL_CLIENT_SECRET), for scripts and cron jobs."})
final class LoginCommand extends Base implements Callable<Integer> {

    @Option(names = "--client-credentials", description = "log in as a confidential client's service account")
    boolean clientCredentials;

    @Option(names = "--client-id", paramLabel = "ID",
            description = "Keycloak client (default kanmon-cli, or kanmon-automation with --client-credentials)")
    String clientId;

    @Option(names = "--client-secret", paramLabel = "SECRET", description = "default: $KANMONCTL_CLIENT_SECRET")
    String clientSecret;

    @Override
    public Integer call() {
        Session session;
        if (clientCredentials) {
            String secret = clientSecret != null ? clientSecret : cli().env().get("KANMONCTL_CLIENT_SECRET");
            if (secret == null || secret.isBlank()) {
                throw new CliException(Exit.USAGE, "--client-credentials needs --client-secret or KANMONCTL_CLIENT_SECRET");
            }
            session = cli().keycloak().clientCredentials(clientId != null ? clientId : "kanmon-automation", secret);
        } else {
            session = cli().keycloak().deviceLogin(clientId != null ? clientId : "kanmon-cli", cli().err());
        }
        cli().sessions().save(session);
        out().done(dev.kanmon.ctl.api.Http.JSON.createObjectNode().put("user", session.user())
                .put("client", session.clientId()).put("expiresAt", session.expiresAt().toString()),
                "Logged in as " + session.user() + " (client " + session.clientId() + ")");
        return 0;
    }
}
