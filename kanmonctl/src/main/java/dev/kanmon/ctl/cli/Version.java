package dev.kanmon.ctl.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest (the Maven project version). */
public final class Version implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = Cli.class.getPackage().getImplementationVersion();
        return new String[] {"kanmonctl " + (v == null ? "(development build)" : v)};
    }
}
