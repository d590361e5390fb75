package dev.kanmon.ctl.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Forgets the session (its tokens expire on their own at Keycloak). */
@Command(name = "logout", description = "Forget the login session.")
final class LogoutCommand extends Base implements Callable<Integer> {

    @Override
    public Integer call() {
        boolean had = cli().sessions().delete();
        out().done(null, had ? "Logged out" : "Not logged in");
        return 0;
    }
}
