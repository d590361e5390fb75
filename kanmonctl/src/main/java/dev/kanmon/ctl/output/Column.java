package dev.kanmon.ctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/**
 * One column of a table: its header and how a row's JSON becomes the cell.
 *
 * @param header the column's title
 * @param cell   the cell's text of a row
 */
public record Column(String header, Function<JsonNode, String> cell) {

    /** A column showing one field (a JSON pointer such as {@code /limits/plan}, or a plain field name). */
    public static Column of(String header, String field) {
        String pointer = field.startsWith("/") ? field : "/" + field;
        return new Column(header, row -> text(row.at(pointer)));
    }

    static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "-";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
