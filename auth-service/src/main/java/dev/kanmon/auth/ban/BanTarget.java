package dev.kanmon.auth.ban;

/**
 * What one ban is about: a pair (address and login) or an address alone, in canonical form (see
 * {@link BanAddress}, logins lower-cased).
 *
 * @param login null for an address
 */
record BanTarget(BanKind kind, String address, String login) {

    static BanTarget pair(String address, String login) {
        return new BanTarget(BanKind.PAIR, address, login);
    }

    static BanTarget address(String address) {
        return new BanTarget(BanKind.ADDRESS, address, null);
    }

    /**
     * The key of the local ban map and of {@code auth.ban}. A canonical address never contains a space, so the first
     * space ends it whatever the login holds.
     */
    String key() {
        return kind == BanKind.PAIR ? "pair:" + address + " " + login : "address:" + address;
    }
}
