package dev.kanmon.auth.window;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Login-before-SMTP ({@code kanmon.auth.login-window.*}, docs/authentication.md): a client address that just logged
 * in to the identity system may submit as that user for a while without SMTP AUTH. Off by default: it trusts an
 * address, which is only as good as the address is one subscriber's.
 */
@ConfigMapping(prefix = "kanmon.auth.login-window")
public interface LoginWindowConfig {

    /**
     * Record logins (Keycloak's LOGIN events, the mail store's reports) and answer the submission-service's window
     * look-ups. Off: nothing is recorded, reports get 404, every look-up answers "no window".
     */
    @WithDefault("false")
    boolean enabled();

    /** How long after a login its address may submit as that user (each new login starts it again). */
    @WithDefault("10m")
    Duration length();

    /**
     * An address from which another user logged in within this time is shared (an office, a carrier-grade NAT
     * pool) and opens no window for anybody. At least {@link #length()}: two overlapping windows are always seen.
     */
    @WithDefault("1h")
    Duration sharedLookback();

    /**
     * IPv6 addresses are kept by their network of this length: a subscriber's line holds at least a /64, and the
     * client's temporary (privacy) addresses change within it between the login and the submission.
     */
    @WithDefault("64")
    int ipv6PrefixLength();

    /**
     * Client networks (CIDR) that never get a window, whatever logs in from them: the operator's known NAT pools
     * (carrier-grade NAT, mobile, Wi-Fi hotspots), where one address is many subscribers even if only one of them
     * ever logs in to the ISP. Logins from there are not recorded. Empty by default.
     */
    Optional<List<String>> excludedNetworks();

    /** How often rows older than the look-back are deleted. */
    @WithDefault("5m")
    Duration pruneInterval();
}
