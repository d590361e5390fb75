package dev.kanmon.submission.smtp;

import java.util.List;

/** Handles one SMTP verb (or a family such as EHLO/HELO) against a session. Stateless; one instance serves all. */
public interface CommandHandler {

    /** The verbs handled, upper case. */
    List<String> verbs();

    /**
     * @param session  the session, on its event loop
     * @param argument the text after the verb and one space, empty when none
     */
    Outcome handle(SmtpSession session, String argument);
}
