package dev.kanmon.bench;

import java.util.List;

/** One complete SMTP reply: the code and every line (without CRLF). */
record Reply(int code, List<String> lines) {

    boolean is(int expected) {
        return code == expected;
    }

    String last() {
        return lines.get(lines.size() - 1);
    }
}
