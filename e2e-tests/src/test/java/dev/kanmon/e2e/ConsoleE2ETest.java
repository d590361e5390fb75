package dev.kanmon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real headless Chromium (Debian's chromium and chromedriver, installed by
 * bin/kanmon-stack prereqs), used as an operator would: log in on Keycloak's page (code flow with PKCE), look at the
 * dashboard, find a subscriber, suspend them with a reason and see SMTP AUTH refused, unsuspend with a reason, hold
 * and release a queued message, retry a deferred one, lift a brute-force ban, change a DNSBL list, and find each
 * action in the audit log; as an administrator, set a plan, revoke an app password, bounce and delete a message.
 */
class ConsoleE2ETest {

    private static final String CONSOLE = "http://127.0.0.1:18086";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Pattern QUEUED = Pattern.compile("queued as (\\S+)");

    @TempDir
    static Path profile;

    private static WebDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void openBrowser() {
        assertThat(CHROMIUM).as("Debian's chromium (bin/kanmon-stack prereqs installs it)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver").isExecutable();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        logIn("operator", "operator-secret");
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void dashboardShowsChartsAndTheQueue() {
        browser.get(CONSOLE + "/");
        assertThat(text(By.tagName("h1"))).isEqualTo("Dashboard");
        assertThat(browser.findElements(By.cssSelector("figure.chart svg"))).hasSize(4);
        assertThat(text(By.id("queue-stats"))).contains("deferred").contains("delivered");
        assertThat(browser.findElements(By.id("suspensions"))).hasSize(1);
        assertThat(text(By.id("who"))).contains("operator (operator)");
    }

    @Test
    void suspendWithAReasonRefusesSmtpAuthUntilUnsuspended() throws Exception {
        String reason = "console test " + UUID.randomUUID().toString().substring(0, 8);
        browser.findElement(By.linkText("Subscribers")).click();
        type(By.id("find-user"), "carol");
        browser.findElement(By.id("find")).click();
        assertThat(text(By.id("subscriber-name"))).isEqualTo("carol");
        assertThat(text(By.id("suspended"))).isEqualTo("no");
        assertThat(browser.findElements(By.id("set-plan"))).as("plans are an administrator's").isEmpty();

        type(By.id("reason"), reason);
        browser.findElement(By.id("suspend")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), "carol suspended"));
        assertThat(text(By.id("suspended"))).isEqualTo("yes: " + reason);
        assertThat(authAs("carol", "carol-secret")).contains("535 5.7.8").contains("suspended");

        type(By.id("unsuspend-reason"), "lifted: " + reason);
        browser.findElement(By.id("unsuspend")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), "carol unsuspended"));
        assertThat(text(By.id("suspended"))).isEqualTo("no");
        assertThat(authAs("carol", "carol-secret")).contains("235 2.7.0");

        browser.findElement(By.linkText("Audit log")).click();
        type(By.id("audit-target"), "carol");
        searchAudit();
        List<String> rows = browser.findElements(By.cssSelector("tr.audit-entry")).stream().map(WebElement::getText)
                .toList();
        assertThat(rows).anySatisfy(r -> assertThat(r).contains("operator").contains("subscriber.suspend")
                .contains(reason).contains("active"));
        assertThat(rows).anySatisfy(r -> assertThat(r).contains("operator").contains("subscriber.unsuspend")
                .contains("lifted: " + reason));
    }

    @Test
    void holdAndReleaseAQueuedMessageThenFindBothInTheAuditLog() throws Exception {
        String queueId = submit();
        // 250 comes after Kafka's ack; the queue-service lists the message once it took it from the topic.
        By row = By.cssSelector("tr[data-queue-id='" + queueId + "']");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            browser.findElement(By.linkText("Queue")).click();
            type(By.id("queue-user"), "bob");
            type(By.id("queue-domain"), "scripted.test");
            browser.findElement(By.id("queue-search")).click();
            wait.until(ExpectedConditions.urlContains("domain=scripted.test"));
            return !browser.findElements(row).isEmpty();
        });
        browser.findElement(row).findElement(By.cssSelector("button.hold")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), queueId + ": hold (1"));
        assertThat(text(By.cssSelector("#recipients td.state"))).isEqualTo("held");
        assertThat(browser.findElements(By.id("delete"))).as("deleting is an administrator's").isEmpty();

        browser.findElement(By.id("release")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), queueId + ": release (1"));
        assertThat(text(By.cssSelector("#recipients td.state"))).isNotEqualTo("held");
        assertThat(text(By.id("attempts"))).contains("Recipient");

        browser.findElement(By.linkText("Audit log")).click();
        type(By.id("audit-target"), queueId);
        searchAudit();
        List<String> actions = browser.findElements(By.cssSelector("tr.audit-entry td.action")).stream()
                .map(WebElement::getText).toList();
        assertThat(actions).contains("queue.hold", "queue.release");
        assertThat(text(By.cssSelector("table.audit"))).contains("operator");
    }

    @Test
    void aDeferredMessageIsRetriedNow() throws Exception {
        String queueId = submit();
        // scripted.test's MX is closed: the first attempt defers the recipient
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            browser.get(CONSOLE + "/queue/" + queueId);
            return !browser.findElements(By.cssSelector("#recipients td.state")).isEmpty()
                    && text(By.cssSelector("#recipients td.state")).equals("deferred");
        });
        browser.findElement(By.id("retry")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), queueId + ": retry (1"));

        browser.findElement(By.linkText("Audit log")).click();
        type(By.id("audit-target"), queueId);
        searchAudit();
        assertThat(browser.findElements(By.cssSelector("tr.audit-entry td.action")).stream().map(WebElement::getText)
                .toList()).contains("queue.retry");
    }

    @Test
    void aPairBanIsLiftedFromTheBansPage() throws Exception {
        // ten wrong passwords of carol from an address of this run ban that pair only (pair threshold 10)
        String address = "127.0." + (100 + (int) (Math.random() * 100)) + "." + (2 + (int) (Math.random() * 250));
        for (int i = 0; i < 10; i++) {
            swaks("--local-interface", address, "--auth-user", "carol", "--auth-password", "wrong",
                    "--from", "carol@example.test", "--to", "x@dest.test", "--quit-after", "AUTH");
        }
        By row = By.xpath("//table[@id='bans']//tr[td[2][text()='" + address + "']]");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            browser.findElement(By.linkText("Bans & DNSBL")).click();
            return !browser.findElements(row).isEmpty();
        });
        assertThat(browser.findElement(row).getText()).contains("pair").contains("carol");
        browser.findElement(row).findElement(By.tagName("button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"),
                "ban of " + address + " / carol lifted"));
        assertThat(browser.findElements(row)).isEmpty();
        assertThat(swaks("--local-interface", address, "--auth-user", "carol", "--auth-password", "carol-secret",
                "--from", "carol@example.test", "--to", "x@dest.test", "--quit-after", "AUTH"))
                .as("carol logs in from that address again").contains("235 ");

        browser.findElement(By.linkText("Audit log")).click();
        type(By.id("audit-target"), address + " carol");
        searchAudit();
        assertThat(browser.findElements(By.cssSelector("tr.audit-entry td.action")).stream().map(WebElement::getText)
                .toList()).containsExactly("ban.lift");
    }

    @Test
    void denyListEntryAddedAndRemoved() {
        String cidr = "100.64." + (int) (Math.random() * 250) + ".0/24";
        browser.findElement(By.linkText("Bans & DNSBL")).click();
        assertThat(browser.findElements(By.id("bans"))).hasSize(1);
        type(By.id("deny-cidr"), cidr);
        type(By.id("deny-comment"), "console test");
        browser.findElement(By.id("deny-add")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), cidr + " added"));
        WebElement entry = browser.findElements(By.cssSelector("#dnsbl-deny tr")).stream()
                .filter(r -> r.getText().contains(cidr)).findFirst().orElseThrow();
        assertThat(entry.getText()).contains("console test").contains("operator");
        entry.findElement(By.tagName("button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), "removed from the deny list"));
        assertThat(text(By.id("dnsbl-deny"))).doesNotContain(cidr);

        browser.findElement(By.linkText("Audit log")).click();
        type(By.id("audit-target"), "deny " + cidr);
        searchAudit();
        assertThat(browser.findElements(By.cssSelector("tr.audit-entry td.action")).stream().map(WebElement::getText)
                .toList()).containsExactly("dnsbl.remove", "dnsbl.add");
    }

    private static void logIn(String user, String password) {
        browser.get(CONSOLE + "/");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("kc-form-login")));
        assertThat(browser.getCurrentUrl()).as("Keycloak's login page, code flow with PKCE")
                .startsWith("http://127.0.0.1:18080/realms/kanmon/").contains("code_challenge_method=S256");
        type(By.id("username"), user);
        type(By.id("password"), password);
        browser.findElement(By.id("kc-login")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("who")));
    }

    @Test
    void anAdministratorSetsAPlanRevokesAnAppPasswordBouncesAndDeletes() throws Exception {
        switchUser("admin", "admin-secret");
        try {
            String user = "console-" + UUID.randomUUID().toString().substring(0, 8);
            browser.get(CONSOLE + "/subscribers?user=" + user);
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("plan-choice"))).selectByVisibleText(
                    "default");
            browser.findElement(By.id("set-plan")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), "is now on plan default"));
            assertThat(text(By.id("plan"))).isEqualTo("default");

            String label = "console test " + user;
            String created = io.restassured.RestAssured.given().auth().oauth2(E2eStack.token("bob", "bob-secret"))
                    .contentType("application/json").body("{\"label\":\"" + label + "\"}")
                    .post(E2eStack.AUTH_API + "/api/v1/app-passwords").then().statusCode(201).extract().path("id");
            browser.get(CONSOLE + "/subscribers?user=bob");
            WebElement entry = browser.findElements(By.cssSelector("#app-passwords tr")).stream()
                    .filter(r -> r.getText().contains(label)).findFirst().orElseThrow();
            entry.findElement(By.tagName("button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), created + " revoked"));
            assertThat(text(By.id("app-passwords"))).doesNotContain(label);

            String queueId = submit();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                browser.get(CONSOLE + "/queue/" + queueId);
                return !browser.findElements(By.id("bounce")).isEmpty();
            });
            browser.findElement(By.id("bounce")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), queueId + ": bounce (1"));
            assertThat(text(By.cssSelector("#recipients td.state"))).isEqualTo("bounced");
            browser.findElement(By.id("delete")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), queueId + " deleted"));

            browser.get(CONSOLE + "/audit?target=" + queueId);
            assertThat(browser.findElements(By.cssSelector("tr.audit-entry td.action")).stream()
                    .map(WebElement::getText).toList()).containsExactly("queue.delete", "queue.bounce");
            browser.get(CONSOLE + "/audit?target=" + user);
            assertThat(text(By.cssSelector("table.audit"))).contains("subscriber.limits").contains("admin");
        } finally {
            switchUser("operator", "operator-secret");
        }
    }

    /** Drops the console's session cookies and Keycloak's (path /realms/kanmon/), then logs in again. */
    private static void switchUser(String user, String password) {
        browser.get(CONSOLE + "/console.css");
        browser.manage().deleteAllCookies();
        browser.get("http://127.0.0.1:18080/realms/kanmon/.well-known/openid-configuration");
        browser.manage().deleteAllCookies();
        logIn(user, password);
    }

    /** Submits the audit page's filter and waits for the answer page (not the rows of the page before). */
    private static void searchAudit() {
        browser.findElement(By.id("audit-search")).click();
        wait.until(ExpectedConditions.urlContains("target="));
    }

    private static void type(By field, String text) {
        WebElement e = wait.until(ExpectedConditions.presenceOfElementLocated(field));
        e.clear();
        e.sendKeys(text);
    }

    private static String text(By element) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(element)).getText().strip();
    }

    /** swaks up to AUTH on the submission port; its transcript. */
    private static String authAs(String user, String password) throws Exception {
        return swaks("--auth-user", user, "--auth-password", password, "--from", user + "@example.test",
                "--to", "x@dest.test", "--quit-after", "AUTH");
    }

    /** bob sends one message to scripted.test, whose MX (127.0.0.13) is closed between tests: it stays pending. */
    private static String submit() throws Exception {
        String out = swaks("--auth-user", "bob", "--auth-password", "bob-secret", "--from", "bob@example.test",
                "--to", "nobody@scripted.test", "--header", "Subject: console test");
        Matcher m = QUEUED.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    private static String swaks(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("swaks", "--server", "127.0.0.1:2587", "--tls",
                "--auth", "PLAIN"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
