package dev.kanmon.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kanmon.ctl.api.Http;
import dev.kanmon.ctl.output.Column;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The dnsbl-service's local allow and deny lists (docs/dnsbl.md). */
@Command(name = "dnsbl", description = "The local allow and deny lists of client networks.")
final class DnsblCommand extends Base {

    /** The two lists. */
    enum ListName { allow, deny }

    @Command(name = "list", description = "The entries of a list.")
    int list(@Parameters(paramLabel = "LIST", description = "allow or deny") ListName list) {
        out().table(api().dnsbl("GET", "/api/v1/local-lists/" + list, null), List.of(Column.of("ID", "id"),
                Column.of("NETWORK", "cidr"), Column.of("COMMENT", "comment"), Column.of("BY", "createdBy"),
                Column.of("CREATED", "createdAt")));
        return 0;
    }

    @Command(name = "add", description = "Add an address or network (no host bits) to a list.")
    int add(@Parameters(paramLabel = "LIST", description = "allow or deny") ListName list,
            @Parameters(paramLabel = "CIDR") String cidr,
            @Option(names = {"-c", "--comment"}, description = "why, e.g. a ticket number") String comment) {
        ObjectNode body = Http.JSON.createObjectNode().put("cidr", cidr).put("comment", comment);
        JsonNode e = api().dnsbl("POST", "/api/v1/local-lists/" + list, body);
        out().done(e, e.path("cidr").asText() + " added to the " + list + " list (id " + e.path("id").asText() + ")");
        return 0;
    }

    @Command(name = "remove", description = "Remove an entry by its id.")
    int remove(@Parameters(paramLabel = "LIST", description = "allow or deny") ListName list,
            @Parameters(paramLabel = "ID") long id) {
        api().dnsbl("DELETE", "/api/v1/local-lists/" + list + "/" + id, null);
        out().done(null, "Entry " + id + " removed from the " + list + " list");
        return 0;
    }
}
