package dev.kanmon.ctl.cli;

import dev.kanmon.ctl.api.Api;
import dev.kanmon.ctl.output.Output;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What a command needs of the root: the APIs and the output. */
@picocli.CommandLine.Command
abstract class Base {

    @Spec
    CommandSpec spec;

    Cli cli() {
        return (Cli) spec.root().userObject();
    }

    Api api() {
        return cli().api();
    }

    Output out() {
        return cli().output();
    }

    static String path(String segment) {
        return dev.kanmon.ctl.api.Http.enc(segment).replace("+", "%20");
    }
}
