package dev.kanmon.e2e;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an operator does in the browser during {@code kanmonctl login}: opens the verification address, signs in on
 * Keycloak's real login page and confirms the device on its consent page (plain HTTP forms, cookies kept).
 */
final class KeycloakBrowser {

    private static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
    private static final Pattern ANY_FORM = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");
    private static final Pattern CODE = Pattern.compile("<input[^>]*name=\"code\"[^>]*value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new Jar())
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    /**
     * Keeps every cookie of the one Keycloak host and sends them all back, as curl's jar does: the JDK's
     * CookieManager withholds Keycloak's Secure cookies on the local stack's plain HTTP.
     */
    private static final class Jar extends CookieHandler {

        private final Map<String, String> cookies = new ConcurrentHashMap<>();

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) {
            if (cookies.isEmpty()) {
                return Map.of();
            }
            StringJoiner all = new StringJoiner("; ");
            cookies.forEach((k, v) -> all.add(k + "=" + v));
            return Map.of("Cookie", List.of(all.toString()));
        }

        @Override
        public void put(URI uri, Map<String, List<String>> headers) {
            headers.forEach((name, values) -> {
                if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
                    for (String v : values) {
                        String pair = v.split(";", 2)[0];
                        int eq = pair.indexOf('=');
                        if (eq > 0) {
                            cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                        }
                    }
                }
            });
        }
    }

    /** Signs in as the user and grants the device; fails when a page is not what a person would see. */
    void approve(URI verification, String user, String password) throws IOException, InterruptedException {
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(verification).build(),
                HttpResponse.BodyHandlers.ofString());
        URI action = action(verification, LOGIN_FORM, login.body(), "login form");
        HttpResponse<String> consent = post(action, Map.of("username", user, "password", password));
        URI grant = action(verification, ANY_FORM, consent.body(), "consent form");
        Matcher code = CODE.matcher(consent.body());
        if (!code.find()) {
            throw new IllegalStateException("no consent code on Keycloak's page:\n" + consent.body());
        }
        HttpResponse<String> done = post(grant, Map.of("code", code.group(1), "accept", "Yes"));
        if (done.statusCode() != 200) {
            throw new IllegalStateException("consent answered " + done.statusCode() + ":\n" + done.body());
        }
    }

    private HttpResponse<String> post(URI uri, Map<String, String> fields) throws IOException, InterruptedException {
        StringJoiner form = new StringJoiner("&");
        fields.forEach((k, v) -> form.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI action(URI base, Pattern form, String page, String what) {
        Matcher m = form.matcher(page);
        if (!m.find()) {
            throw new IllegalStateException("no " + what + " on Keycloak's page:\n" + page);
        }
        return base.resolve(m.group(1).replace("&amp;", "&"));
    }
}
