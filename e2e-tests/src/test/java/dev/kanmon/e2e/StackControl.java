package dev.kanmon.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Kills and restarts the local stack's own components for the failure tests: {@code kill -9} of the pid in
 * {@code .local-stack/run/<name>.pid}, then {@code bin/kanmon-stack restart|start <name>} (which waits for
 * readiness). The script always runs with {@code KANMON_SKIP_BUILD=1}: a test must never start a Maven build.
 */
final class StackControl {

    /** The five services and their HTTP (API) ports in the local profile (docs/architecture.md). */
    static final Map<String, Integer> SERVICES = new LinkedHashMap<>();
    /** Their management interfaces ({@code /q/health/*}, {@code /q/metrics}) in the local profile. */
    static final Map<String, Integer> MANAGEMENT = new LinkedHashMap<>();

    static {
        SERVICES.put("auth", 18082);
        SERVICES.put("dnsbl", 18085);
        SERVICES.put("queue", 18083);
        SERVICES.put("delivery", 18084);
        SERVICES.put("submission", 18081);
        MANAGEMENT.put("auth", 19082);
        MANAGEMENT.put("dnsbl", 19085);
        MANAGEMENT.put("queue", 19083);
        MANAGEMENT.put("delivery", 19084);
        MANAGEMENT.put("submission", 19081);
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private StackControl() {
    }

    static Path pidFile(String component) {
        return E2eStack.state().resolve("run/" + component + ".pid");
    }

    /** The pid in the component's pid file, or -1. */
    static long pid(String component) {
        try {
            String text = Files.readString(pidFile(component)).trim();
            return text.isEmpty() ? -1 : Long.parseLong(text.lines().findFirst().orElse("-1").trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * {@code kill -9} of the component's process, waiting until it is gone. Its log is copied to the e2e work
     * dir first (a restart rotates {@code logs/<name>.log}). Returns the killed pid.
     */
    static long kill9(String component, String logCopyName) throws Exception {
        long pid = pid(component);
        assertThat(alive(pid)).as("%s is running (pid file %s)", component, pidFile(component)).isTrue();
        Proc.Result r = Proc.run(List.of("kill", "-9", String.valueOf(pid)), null, 10);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Awaitility.await(component + " pid " + pid + " gone").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> !alive(pid));
        copyLog(component, logCopyName);
        return pid;
    }

    static void copyLog(String component, String name) {
        Path log = E2eStack.state().resolve("logs/" + component + ".log");
        try {
            if (Files.isRegularFile(log)) {
                Files.copy(log, E2eStack.workDir().resolve(name + ".log"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException ignored) {
            // a diagnostic copy only
        }
    }

    /** {@code bin/kanmon-stack <verb> <component>}; fails the test when the script fails. */
    static Proc.Result stack(String verb, String component) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("env", "KANMON_SKIP_BUILD=1",
                "KANMON_STACK=" + E2eStack.state(), E2eStack.root().resolve("bin/kanmon-stack").toString(), verb));
        if (component != null) {
            cmd.add(component);
        }
        Proc.Result r = Proc.run(cmd, null, 600);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    static boolean httpOk(String url) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET()
                    .build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String httpGet(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Sum of a Prometheus metric's samples whose labels contain {@code labelFilter} (NaN when unreachable). */
    static double metricSum(String url, String metric, String labelFilter) {
        String text = httpGet(url);
        if (text.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(metric + "{") && line.contains(labelFilter)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    static boolean ready(String service) {
        return httpOk(managementUrl(service) + "/q/health/ready");
    }

    /** {@code http://127.0.0.1:<management port>} of a stack service. */
    static String managementUrl(String service) {
        return "http://127.0.0.1:" + MANAGEMENT.get(service);
    }

    static void awaitReady(String service, Duration timeout) {
        Awaitility.await(service + "-service ready").atMost(timeout).pollInterval(Duration.ofMillis(500))
                .until(() -> ready(service));
    }

    static boolean kafkaUp() {
        return E2eStack.listening("127.0.0.1", 19092);
    }

    /**
     * Brings back whatever a failure test left down: Kafka first, then every service that is not ready
     * ({@code start <service>} is idempotent when the process is still alive and merely starting, so it is
     * waited for instead). Safe to call when everything is up.
     */
    static void ensureHealthy() throws Exception {
        if (!kafkaUp() || !alive(pid("kafka"))) {
            stack("restart", "kafka");
        }
        for (String s : SERVICES.keySet()) {
            if (ready(s)) {
                continue;
            }
            if (alive(pid(s))) {
                try {
                    awaitReady(s, Duration.ofSeconds(180));
                    continue;
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    stack("restart", s);
                    continue;
                }
            }
            stack("start", s);
        }
        for (String s : SERVICES.keySet()) {
            awaitReady(s, Duration.ofSeconds(180));
        }
        E2eStack.requireRunning();
    }

    static void sleep(Duration d) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(d.toMillis());
    }
}
