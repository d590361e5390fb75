package dev.kanmon.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kanmon.ctl.output.Column;
import dev.kanmon.ctl.output.Output;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tables are aligned, missing values show as "-", cells stay on one line; -o json prints the API's JSON. */
class OutputTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tableAlignsColumns() throws Exception {
        StringWriter s = new StringWriter();
        new Output(new PrintWriter(s), Output.Format.table).table(JSON.readTree("""
                [{"kind":"pair","address":"192.0.2.1","login":"alice"},
                 {"kind":"address","address":"2001:db8::/64","login":null,"note":"a\\nb"}]"""),
                List.of(Column.of("KIND", "kind"), Column.of("ADDRESS", "address"), Column.of("LOGIN", "login"),
                        Column.of("NOTE", "note")));
        assertThat(s.toString().lines()).containsExactly(
                "KIND     ADDRESS        LOGIN  NOTE",
                "pair     192.0.2.1      alice  -",
                "address  2001:db8::/64  -      a b");
    }

    @Test
    void emptyTableSaysNone() throws Exception {
        StringWriter s = new StringWriter();
        new Output(new PrintWriter(s), Output.Format.table).table(JSON.readTree("[]"), List.of(Column.of("ID", "id")));
        assertThat(s.toString().lines()).containsExactly("ID", "(none)");
    }

    @Test
    void jsonIsTheAnswerItself() throws Exception {
        StringWriter s = new StringWriter();
        new Output(new PrintWriter(s), Output.Format.json).table(JSON.readTree("[{\"id\":1}]"),
                List.of(Column.of("ID", "id")));
        assertThat(JSON.readTree(s.toString())).isEqualTo(JSON.readTree("[{\"id\":1}]"));
    }
}
