package dev.kanmon.ctl.cli;

import dev.kanmon.ctl.api.Api;
import dev.kanmon.ctl.api.Endpoints;
import dev.kanmon.ctl.api.Http;
import dev.kanmon.ctl.auth.Keycloak;
import dev.kanmon.ctl.auth.Session;
import dev.kanmon.ctl.auth.SessionStore;
import dev.kanmon.ctl.api.CliException;
import dev.kanmon.ctl.api.Exit;
import dev.kanmon.ctl.output.Output;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root command: global options and what every subcommand shares (endpoints, session, output). */
@Command(name = "kanmonctl", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Operate a Kanmon relay: subscribers, bans, the queue, DNSBL local lists and the audit log.",
        footer = {"", "Endpoints: KANMONCTL_REALM_URL, KANMONCTL_AUTH_URL, KANMONCTL_QUEUE_URL, KANMONCTL_DNSBL_URL"
                + " (default: the local stack). Session: $KANMONCTL_HOME/session.json (~/.config/kanmonctl).",
                "Exit codes: 0 ok, 1 failed, 2 usage or input refused, 3 not logged in, 4 role missing,"
                        + " 5 not found, 6 conflict, 7 service unreachable."},
        subcommands = {LoginCommand.class, LogoutCommand.class, WhoamiCommand.class, SubscriberCommand.class,
                PlanCommand.class, BanCommand.class, QueueCommand.class, DnsblCommand.class, AbuseCommand.class,
                AuditCommand.class, AutoComplete.GenerateCompletion.class})
public final class Cli {

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default, for people) or json (the API's answer, for scripts)")
    Output.Format format;

    private final Map<String, String> env;
    private final Clock clock;
    private final Http http = new Http();

    public Cli(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    Endpoints endpoints() {
        return Endpoints.of(env);
    }

    Map<String, String> env() {
        return env;
    }

    SessionStore sessions() {
        return SessionStore.of(env);
    }

    Keycloak keycloak() {
        return new Keycloak(endpoints().realm(), http, clock);
    }

    Output output() {
        return new Output(out(), format);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The APIs with the session's token, renewed (and saved) when it was about to expire. */
    Api api() {
        SessionStore store = sessions();
        return new Api(endpoints(), http, () -> {
            Session s = store.load().orElseThrow(() -> new CliException(Exit.NOT_LOGGED_IN,
                    "not logged in: run kanmonctl login"));
            Session fresh = keycloak().fresh(s);
            if (fresh != s) {
                store.save(fresh);
            }
            return fresh.accessToken();
        });
    }
}
