package dev.kanmon.ctl.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.function.Supplier;

/** Authenticated calls to the operator APIs; the bearer token comes from the login session, renewed as needed. */
public final class Api {

    private final Endpoints endpoints;
    private final Http http;
    private final Supplier<String> token;

    public Api(Endpoints endpoints, Http http, Supplier<String> token) {
        this.endpoints = endpoints;
        this.http = http;
        this.token = token;
    }

    public JsonNode auth(String method, String path, Object body) {
        return call(method, endpoints.auth(), path, body);
    }

    public JsonNode queue(String method, String path, Object body) {
        return call(method, endpoints.queue(), path, body);
    }

    public JsonNode dnsbl(String method, String path, Object body) {
        return call(method, endpoints.dnsbl(), path, body);
    }

    private JsonNode call(String method, URI base, String path, Object body) {
        return http.send(method, URI.create(base + path), token.get(), body);
    }
}
