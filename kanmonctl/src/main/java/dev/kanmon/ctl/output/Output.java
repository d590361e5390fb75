package dev.kanmon.ctl.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints answers for people (aligned tables, key-value lists) or for scripts ({@code -o json}: the API's JSON as it
 * came, indented).
 */
public final class Output {

    /** The two output formats. */
    public enum Format { table, json }

    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final Format format;

    public Output(PrintWriter out, Format format) {
        this.out = out;
        this.format = format;
    }

    /** An array as a table of the given columns (or JSON). */
    public void table(JsonNode rows, List<Column> columns) {
        if (json(rows)) {
            return;
        }
        List<String[]> lines = new ArrayList<>();
        lines.add(columns.stream().map(Column::header).toArray(String[]::new));
        for (JsonNode row : rows) {
            lines.add(columns.stream().map(c -> clean(c.cell().apply(row))).toArray(String[]::new));
        }
        int[] width = new int[columns.size()];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                b.append(i == line.length - 1 ? line[i] : String.format("%-" + width[i] + "s  ", line[i]));
            }
            out.println(b.toString().stripTrailing());
        }
        if (rows.isEmpty()) {
            out.println("(none)");
        }
        out.flush();
    }

    /** An object as "key: value" lines of the given fields (or the whole object as JSON). */
    public void fields(JsonNode object, Map<String, String> labelsToFields) {
        if (json(object)) {
            return;
        }
        int width = labelsToFields.keySet().stream().mapToInt(String::length).max().orElse(0);
        labelsToFields.forEach((label, field) -> out.printf("%-" + width + "s  %s%n", label,
                clean(Column.text(object.at(field.startsWith("/") ? field : "/" + field)))));
        out.flush();
    }

    /** A confirmation for people; scripts get the API's answer (or {"ok": true}). */
    public void done(JsonNode answer, String message) {
        if (format == Format.json) {
            print(answer == null || answer.isNull() || answer.isMissingNode()
                    ? PRETTY.createObjectNode().put("ok", true) : answer);
        } else {
            out.println(message);
            out.flush();
        }
    }

    /** A heading between parts of a page of tables (people only). */
    public void heading(String title) {
        if (format == Format.table) {
            out.println();
            out.println(title);
        }
    }

    public Format format() {
        return format;
    }

    private boolean json(JsonNode node) {
        if (format == Format.json) {
            print(node);
            return true;
        }
        return false;
    }

    private void print(JsonNode node) {
        try {
            out.println(PRETTY.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** Cells stay on one line whatever the data holds. */
    private static String clean(String s) {
        return s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }
}
