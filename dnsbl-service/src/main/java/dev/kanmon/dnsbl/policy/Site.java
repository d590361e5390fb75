package dev.kanmon.dnsbl.policy;

import java.util.Locale;

/**
 * One entry of {@code kanmon.dnsbl.sites}: {@code zone[=filter][*weight]} as in Postfix' postscreen_dnsbl_sites.
 *
 * @param zone   the DNS zone, lower case, without trailing dot
 * @param filter which A records count
 * @param weight added to the score when listed; negative for allow-lists
 */
public record Site(String zone, CodeFilter filter, double weight) {

    public static Site parse(String spec) {
        String s = spec.strip();
        double weight = 1;
        int star = s.lastIndexOf('*');
        if (star >= 0) {
            try {
                weight = Double.parseDouble(s.substring(star + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad weight in DNSBL site: " + spec, e);
            }
            s = s.substring(0, star);
        }
        int eq = s.indexOf('=');
        String zone = (eq < 0 ? s : s.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
        if (zone.endsWith(".")) {
            zone = zone.substring(0, zone.length() - 1);
        }
        if (zone.isEmpty() || !zone.matches("[a-z0-9_.-]+")) {
            throw new IllegalArgumentException("bad zone in DNSBL site: " + spec);
        }
        CodeFilter filter = eq < 0 ? CodeFilter.any() : CodeFilter.parse(s.substring(eq + 1));
        return new Site(zone, filter, weight);
    }

    public boolean allowList() {
        return weight < 0;
    }

    @Override
    public String toString() {
        return zone + "=" + filter + "*" + weight;
    }
}
