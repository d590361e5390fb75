package dev.kanmon.submission.auth.mechanism;

import dev.kanmon.submission.auth.SaslMechanism;
import dev.kanmon.submission.auth.client.SubmissionAuthConfig;

/**
 * What every mechanism declares the same way: its name, its rank, whether it needs TLS, and its on/off switch. The
 * beans are {@code @Singleton}: stateless, so no client proxy (which would need a no-args constructor) is wanted.
 */
abstract class ConfiguredMechanism implements SaslMechanism {

    private final String name;
    private final int strength;
    private final boolean requiresTls;
    private final SubmissionAuthConfig.Toggle toggle;

    ConfiguredMechanism(String name, int strength, boolean requiresTls, SubmissionAuthConfig.Toggle toggle) {
        this.name = name;
        this.strength = strength;
        this.requiresTls = requiresTls;
        this.toggle = toggle;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int strength() {
        return strength;
    }

    @Override
    public boolean requiresTls() {
        return requiresTls;
    }

    @Override
    public boolean enabled() {
        return toggle.enabled();
    }
}
