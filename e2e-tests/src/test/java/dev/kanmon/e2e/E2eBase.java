package dev.kanmon.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/** Common set-up and client launchers for the end-to-end tests. */
abstract class E2eBase {

    static final String HELO = "client.e2e.test";

    @BeforeAll
    static void stackIsRunning() {
        E2eStack.requireRunning();
    }

    /** A session on a STARTTLS port after EHLO, STARTTLS (certificate verified) and EHLO again: ready for AUTH. */
    static SmtpClient tlsSession(int port) throws IOException {
        SmtpClient c = SmtpClient.connect(E2eStack.HOST, port);
        c.read();
        c.send("EHLO " + HELO);
        assertThat(c.startTls().code()).as(c.transcript()).isEqualTo(220);
        c.send("EHLO " + HELO);
        return c;
    }

    /** swaks with the local CA; {@code tls} is "starttls", "onconnect" or "none". */
    static Proc.Result swaks(int port, String tls, String mech, String user, String password,
            String from, String to, Path data, String localInterface) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("swaks", "--server", E2eStack.HOST, "--port", String.valueOf(port),
                "--helo", HELO, "--from", from, "--to", to, "--timeout", "30"));
        switch (tls) {
            case "starttls" -> cmd.addAll(List.of("--tls", "--tls-verify", "--tls-ca-path", E2eStack.caCert().toString()));
            case "onconnect" -> cmd.addAll(List.of("--tls-on-connect", "--tls-verify", "--tls-ca-path",
                    E2eStack.caCert().toString()));
            case "none" -> { }
            default -> throw new IllegalArgumentException(tls);
        }
        if (mech != null) {
            cmd.addAll(List.of("--auth", mech, "--auth-user", user, "--auth-password", password));
        }
        if (localInterface != null) {
            cmd.addAll(List.of("--local-interface", localInterface));
        }
        cmd.addAll(List.of("--data", "@" + data));
        return Proc.run(cmd, null, 90);
    }

    /** curl (smtp:// or smtps://) with the local CA; the URL path is the EHLO name. */
    static Proc.Result curl(String scheme, int port, String loginOptions, String user, String password,
            String from, String to, Path upload, String localInterface) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-v", "--max-time", "60",
                "--url", scheme + "://" + E2eStack.HOST + ":" + port + "/" + HELO,
                "--cacert", E2eStack.caCert().toString(),
                "--mail-from", from, "--mail-rcpt", to, "--upload-file", upload.toString()));
        if (scheme.equals("smtp") && loginOptions != null) {
            cmd.add("--ssl-reqd");
        }
        if (loginOptions != null) {
            cmd.addAll(List.of("--user", user + ":" + password, "--login-options", loginOptions));
        }
        if (localInterface != null) {
            cmd.addAll(List.of("--interface", localInterface));
        }
        return Proc.run(cmd, null, 90);
    }

    /** Python's smtplib through src/test/resources/smtplib_client.py; mode "starttls" or "ssl". */
    static Proc.Result smtplib(String mode, int port, String mech, String user, String password,
            String from, String to, Path message) throws IOException, InterruptedException {
        Path script = E2eStack.workDir().resolve("smtplib_client.py");
        try (var in = E2eBase.class.getResourceAsStream("/smtplib_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), "--mode", mode,
                "--host", E2eStack.HOST, "--port", String.valueOf(port), "--cafile", E2eStack.caCert().toString(),
                "--mail-from", from, "--rcpt", to, "--message", message.toString()));
        if (mech != null) {
            cmd.addAll(List.of("--user", user, "--password", password, "--mech", mech));
        }
        return Proc.run(cmd, null, 90);
    }
}
