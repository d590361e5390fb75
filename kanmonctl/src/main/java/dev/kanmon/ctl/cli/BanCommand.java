package dev.kanmon.ctl.cli;

import dev.kanmon.ctl.api.Http;
import dev.kanmon.ctl.output.Column;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Brute-force bans (auth-service, docs/authentication.md). */
@Command(name = "ban", description = "List and lift brute-force bans.")
final class BanCommand extends Base {

    @Command(name = "list", description = "Active bans of addresses and address/login pairs.")
    int list() {
        out().table(api().auth("GET", "/api/v1/bans", null), List.of(Column.of("KIND", "kind"),
                Column.of("ADDRESS", "address"), Column.of("LOGIN", "login"), Column.of("FAILURES", "failures"),
                Column.of("LOGINS", "logins"), Column.of("UNTIL", "until")));
        return 0;
    }

    @Command(name = "lift", description = "Lift the ban of an address, or of an address and login with --login.")
    int lift(@Option(names = "--address", required = true, description = "address or IPv6 /64 as listed")
            String address, @Option(names = "--login", description = "the login of a pair ban") String login) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("address", address);
        q.put("login", login);
        api().auth("DELETE", "/api/v1/bans/" + (login == null ? "address" : "pair") + Http.query(q), null);
        out().done(null, "Ban of " + address + (login == null ? "" : " / " + login) + " lifted");
        return 0;
    }
}
