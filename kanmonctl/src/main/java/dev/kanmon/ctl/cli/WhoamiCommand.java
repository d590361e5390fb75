package dev.kanmon.ctl.cli;

import dev.kanmon.ctl.api.CliException;
import dev.kanmon.ctl.api.Exit;
import dev.kanmon.ctl.api.Http;
import dev.kanmon.ctl.auth.Session;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Who the session belongs to (renewing its token, so that it also checks the login still works). */
@Command(name = "whoami", description = "Show who is logged in.")
final class WhoamiCommand extends Base implements Callable<Integer> {

    @Override
    public Integer call() {
        var store = cli().sessions();
        Session s = store.load().orElseThrow(() -> new CliException(Exit.NOT_LOGGED_IN,
                "not logged in: run kanmonctl login"));
        Session fresh = cli().keycloak().fresh(s);
        if (fresh != s) {
            store.save(fresh);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("User", "user");
        fields.put("Client", "client");
        fields.put("Token until", "expiresAt");
        out().fields(Http.JSON.createObjectNode().put("user", fresh.user()).put("client", fresh.clientId())
                .put("expiresAt", fresh.expiresAt().toString()), fields);
        return 0;
    }
}
