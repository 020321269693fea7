package dev.pons.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.pons.it.Api;
import dev.pons.it.FakeGraphApi;
import dev.pons.it.Meta;
import dev.pons.it.Receiver;
import dev.pons.it.TestAccounts;
import dev.pons.it.TestAccounts.TestAccount;
import dev.pons.it.Verifier;

/**
 * The dashboard (Account Settings → Webhook Forwarding, Phone numbers and API keys) in a real browser against the real server:
 * Debian's headless Chromium driven by its chromedriver, a user's clicks and keystrokes only, and the
 * API or a loopback receiver to check what really happened. Screenshots of the main states go to
 * {@code target/screenshots/}.
 *
 * <p>Browser: {@code -Dpons.it.chromium} (default {@code /usr/bin/chromium}) and
 * {@code -Dpons.it.chromedriver} (default {@code /usr/bin/chromedriver}), both named explicitly so
 * Selenium Manager never tries to download a driver. Without them these tests fail, saying what to
 * install: a missing browser is never a skip.
 */
class DashboardIT {

    static final String CHROMIUM = System.getProperty("pons.it.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("pons.it.chromedriver", "/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of(System.getProperty("pons.it.screenshots", "target/screenshots"));
    /** Where to put a fresh copy of the README's screenshot, when set (e.g. src/docs/dashboard.png). */
    static final String DOC_SCREENSHOT = System.getProperty("pons.it.docScreenshot", "");
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Pattern SECRET = Pattern.compile("whsec_[A-Za-z0-9+/]{43}=");

    static ChromeDriver driver;
    static Path profile;
    static int shot;

    String testName;

    // ---- browser --------------------------------------------------------------------------------

    @BeforeAll
    static void startBrowser() throws IOException {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(Path.of(CHROMIUM))) {
            missing.add("Chromium (" + CHROMIUM + ")");
        }
        if (!Files.isExecutable(Path.of(CHROMEDRIVER))) {
            missing.add("chromedriver (" + CHROMEDRIVER + ")");
        }
        if (!missing.isEmpty()) {
            fail("The dashboard's browser tests need " + String.join(" and ", missing)
                    + ": install Debian's packages with `apt-get install -y chromium chromium-driver`"
                    + " (or point -Dpons.it.chromium / -Dpons.it.chromedriver at them).");
        }
        Files.createDirectories(SCREENSHOTS);
        try (var old = Files.list(SCREENSHOTS)) {
            for (Path file : old.filter(p -> p.toString().endsWith(".png")).toList()) {
                Files.delete(file);
            }
        }
        profile = Files.createTempDirectory("pons-chromium-");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--user-data-dir=" + profile, "--window-size=1440,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withLogFile(SCREENSHOTS.resolve("chromedriver.log").toFile())
                .build();
        try {
            driver = new ChromeDriver(service, options);
        } catch (WebDriverException e) {
            throw new AssertionError("Chromium did not start through " + CHROMEDRIVER + " (its log: "
                    + SCREENSHOTS.resolve("chromedriver.log") + ")", e);
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void fresh(TestInfo info) {
        testName = info.getTestMethod().map(m -> m.getName()).orElse("test");
        driver.manage().window().setSize(new Dimension(1440, 1000));
        driver.get(Api.BASE + "/");
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
        // The tab may still show the previous test's signed-in page: load it again without the key.
        driver.navigate().refresh();
        // permissions are per origin: the test reads back what "Copy" put on the clipboard
        driver.setPermission("clipboard-read", "granted");
        driver.setPermission("clipboard-write", "granted");
    }

    @AfterEach
    void noScriptErrors() {
        if (driver == null) {
            return;
        }
        screenshot("end");
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            // a refused request (400 for the bad URL) is logged by Chromium itself; the page handled it
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()
                    && !entry.getMessage().contains("Failed to load resource")) {
                errors.add(entry.getMessage());
            }
        }
        assertEquals(List.of(), errors, "the browser console has errors");
    }

    // ---- the user's journey ------------------------------------------------------------------------

    @Test
    void addTestRetryRotateDisableAndDeleteATarget() throws Exception {
        TestAccount account = account("Acme Support");
        TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        try (Receiver receiver = Receiver.answering(200)) {
            signIn(account);
            visible(test("targets-empty"));
            screenshot("empty");

            // Add an endpoint through the form; one attempt only, so a failed test event stays failed.
            click(test("add-target"));
            WebElement dialog = visible(test("target-dialog"));
            type(dialog, test("target-url"), receiver.url());
            type(dialog, test("target-name"), "Orders backend");
            click(dialog.findElement(test("event-message.inbound.received")));
            click(dialog.findElement(test("event-message.status.updated")));
            click(dialog.findElement(By.cssSelector("[data-test='advanced'] > summary")));
            type(dialog, test("target-maxAttempts"), "1");
            screenshot("add-form");
            click(dialog.findElement(test("save-target")));

            // The secret, once: copy it and keep it, as a user would.
            WebElement secretDialog = visible(test("secret-dialog"));
            String secret = secretDialog.findElement(test("secret-value")).getDomProperty("value");
            assertTrue(SECRET.matcher(secret).matches(), secret);
            screenshot("secret");
            click(secretDialog.findElement(test("copy-secret")));
            until("the Copy button to confirm", d -> secretDialog.findElement(test("copy-secret")).getText().contains("Copied"));
            assertEquals(secret, clipboard(), "Copy puts the secret on the clipboard");
            click(secretDialog.findElement(test("close-secret")));
            gone(test("secret-dialog"));

            // Listed, with a preview only.
            WebElement row = visible(test("target-row"));
            String targetId = row.getDomAttribute("data-target-id");
            JsonObject stored = target(account, targetId);
            assertEquals("Orders backend", stored.getString("name"));
            assertEquals(receiver.url(), stored.getString("url"));
            assertEquals(List.of("message.inbound.received", "message.status.updated"),
                    stored.getJsonArray("events").getValuesAs(jakarta.json.JsonString::getString));
            assertEquals(1, stored.getInt("maxAttempts"));
            assertTrue(row.getText().contains("Orders backend"), row.getText());
            assertEquals("••••••" + secret.substring(secret.length() - 6), row.findElement(test("secret-preview")).getText());
            assertFalse(driver.getPageSource().contains(secret), "the secret is gone from the page once the dialog closed");
            assertTrue(row.findElement(test("target-state")).getText().contains("No deliveries yet"));
            screenshot("listed");

            // Details: send a test event to the receiver; it arrives signed with the copied secret.
            click(row.findElement(test("target-link")));
            visible(test("target-detail"));
            click(test("send-test"));
            WebElement outcome = visible(test("test-outcome"));
            assertEquals("true", outcome.getDomAttribute("data-succeeded"), outcome.getText());
            assertTrue(outcome.getText().contains("HTTP 200"), outcome.getText());
            assertEquals(1, receiver.requests().size());
            Receiver.Request received = receiver.requests().get(0);
            assertTrue(Verifier.verifies(secret, received), "the copied secret verifies the test delivery");
            until("one succeeded delivery listed", d -> rows("succeeded") == 1);
            textEventually(test("target-state"), "Healthy");

            // A failing test: the receiver answers 503, the dashboard says so.
            receiver.answer(r -> new Receiver.Answer(503, "{\"error\":\"down for maintenance\"}", Map.of(), false));
            click(test("send-test"));
            until("a failed test outcome", d -> "false".equals(d.findElement(test("test-outcome")).getDomAttribute("data-succeeded")));
            outcome = driver.findElement(test("test-outcome"));
            assertTrue(outcome.getText().contains("HTTP 503"), outcome.getText());
            assertTrue(outcome.getText().contains("down for maintenance"), outcome.getText());
            until("a failed and a succeeded delivery listed", d -> rows("failed") == 1 && rows("succeeded") == 1);
            textEventually(test("target-state"), "Failing");
            screenshot("detail");
            fullPageScreenshot("detail-full");
            saveDocScreenshot();

            // Open the failed delivery and its attempts.
            WebElement failedRow = driver.findElement(By.cssSelector("[data-test='delivery-row'][data-status='failed']"));
            String deliveryId = failedRow.getDomAttribute("data-delivery-id");
            click(failedRow);
            WebElement deliveryDialog = visible(test("delivery-dialog"));
            until("the attempt shown", d -> deliveryDialog.findElements(test("attempt-row")).size() == 1);
            assertTrue(deliveryDialog.getText().contains(deliveryId), deliveryDialog.getText());
            WebElement attempt = deliveryDialog.findElement(test("attempt-row"));
            assertTrue(attempt.getText().contains("HTTP 503"), attempt.getText());
            assertTrue(attempt.getText().contains("down for maintenance"), attempt.getText());
            screenshot("delivery");

            // Retry it: the receiver is back, the delivery succeeds with the same id.
            receiver.answer(r -> Receiver.Answer.status(200));
            click(deliveryDialog.findElement(test("retry-delivery-dialog")));
            until("the retried delivery to show as succeeded with its second attempt",
                    d -> deliveryDialog.findElements(test("attempt-row")).size() == 2
                            && !deliveryDialog.findElements(By.cssSelector("[data-test='delivery-status'] [data-status='succeeded']")).isEmpty());
            assertEquals("succeeded", delivery(account, deliveryId).getString("status"));
            assertEquals(deliveryId, receiver.requests().get(receiver.requests().size() - 1).header("X-Pons-Delivery-Id"));
            screenshot("retried");
            click(deliveryDialog.findElement(test("close-delivery")));
            gone(test("delivery-dialog"));
            until("both deliveries listed as succeeded", d -> rows("succeeded") == 2 && rows("failed") == 0);

            // Rename it.
            click(test("edit-target"));
            WebElement edit = visible(test("target-dialog"));
            type(edit, test("target-name"), "Orders service");
            click(edit.findElement(test("save-target")));
            gone(test("target-dialog"));
            textEventually(By.cssSelector("[data-test='target-detail'] h1"), "Orders service");
            assertEquals("Orders service", target(account, targetId).getString("name"));

            // Rotate the secret with an hour's grace: deliveries carry both signatures meanwhile.
            click(test("rotate-secret"));
            WebElement rotate = visible(test("rotate-dialog"));
            new Select(rotate.findElement(test("grace-period"))).selectByValue("3600000");
            click(rotate.findElement(test("confirm-rotate")));
            WebElement rotated = visible(test("secret-dialog"));
            String newSecret = rotated.findElement(test("secret-value")).getDomProperty("value");
            assertTrue(SECRET.matcher(newSecret).matches() && !newSecret.equals(secret), newSecret);
            assertTrue(rotated.findElement(test("rotation-note")).getText().contains("X-Pons-Signature-Previous"));
            screenshot("rotated");
            click(rotated.findElement(test("close-secret")));
            gone(test("secret-dialog"));
            visible(test("previous-secret"));
            assertEquals("••••••" + newSecret.substring(newSecret.length() - 6),
                    driver.findElement(By.cssSelector("[data-test='config'] [data-test='secret-preview']")).getText());
            int before = receiver.requests().size();
            click(test("send-test"));
            await("the test delivery after the rotation", () -> receiver.requests().size() == before + 1);
            Receiver.Request afterRotation = receiver.requests().get(before);
            assertTrue(Verifier.verifies(newSecret, afterRotation), "signed with the new secret");
            assertEquals(Verifier.expected(secret, afterRotation.header("X-Pons-Timestamp"), afterRotation.body()),
                    afterRotation.header("X-Pons-Signature-Previous"), "and with the previous one");
            assertTrue(Verifier.verifiesStandard(newSecret, afterRotation) && Verifier.verifiesStandard(secret, afterRotation),
                    "webhook-signature verifies with either secret");
            until("three succeeded deliveries listed", d -> rows("succeeded") == 3);

            // Disable, enable.
            click(test("enabled-toggle"));
            textEventually(test("target-state"), "Disabled");
            visible(test("paused-note"));
            await("the target is disabled", () -> !target(account, targetId).getBoolean("enabled"));
            screenshot("disabled");
            click(test("enabled-toggle"));
            textEventually(test("target-state"), "Healthy");
            await("the target is enabled", () -> target(account, targetId).getBoolean("enabled"));

            // Delete: confirm, back to the empty list, gone from the API.
            click(test("delete-target"));
            WebElement confirm = visible(test("delete-dialog"));
            screenshot("delete");
            click(confirm.findElement(test("confirm-delete")));
            visible(test("targets-empty"));
            assertEquals(404, Api.get(account.path("/webhook-targets/" + targetId), account.apiKey()).status());
            screenshot("deleted");
        }
    }

    @Test
    void anApiKeyIsCreatedShownOnceAndRevoked() {
        TestAccount account = account("Umbrella");
        signIn(account);
        click(test("nav-api-keys"));
        textEventually(By.cssSelector("h1.page-title"), "API keys");
        assertEquals("page", visible(test("nav-api-keys")).getDomAttribute("aria-current"));
        until("the account's first key listed", d -> d.findElements(test("key-row")).size() == 1);
        WebElement first = driver.findElement(test("key-row"));
        assertEquals("Default", first.findElement(test("key-name-cell")).getText());
        assertEquals("pons_…" + account.apiKey().substring(account.apiKey().length() - 4),
                first.findElement(test("key-preview")).getText());
        assertFalse(first.findElement(test("revoke-key")).isEnabled(), "an account keeps at least one key");

        // Create: the key is shown once, copied, and works.
        click(test("add-key"));
        WebElement dialog = visible(test("key-dialog"));
        type(dialog, test("key-name"), "Reporting");
        click(dialog.findElement(test("save-key")));
        WebElement shown = visible(test("new-key-dialog"));
        String key = shown.findElement(test("key-value")).getDomProperty("value");
        assertTrue(key.matches("pons_[A-Za-z0-9_-]{43}"), "a full key");
        screenshot("key-created");
        click(shown.findElement(test("copy-key")));
        until("the Copy button to confirm", d -> shown.findElement(test("copy-key")).getText().contains("Copied"));
        assertEquals(key, clipboard(), "Copy puts the key on the clipboard");
        click(shown.findElement(test("close-key")));
        gone(test("new-key-dialog"));
        assertEquals(200, Api.get("/api/v1/account", key).status());

        until("two keys listed", d -> d.findElements(test("key-row")).size() == 2);
        WebElement row = driver.findElements(test("key-row")).get(0);
        assertEquals("Reporting", row.findElement(test("key-name-cell")).getText());
        assertEquals("pons_…" + key.substring(key.length() - 4), row.findElement(test("key-preview")).getText());
        assertFalse(driver.findElement(test("keys-table")).getText().contains(key), "never listed in full");
        screenshot("keys");

        // Revoke, after confirming: refused at once.
        click(row.findElement(test("revoke-key")));
        WebElement confirm = visible(test("revoke-dialog"));
        assertTrue(confirm.getText().contains("Reporting"), confirm.getText());
        screenshot("revoke");
        click(confirm.findElement(test("confirm-revoke")));
        gone(test("revoke-dialog"));
        until("one key listed", d -> d.findElements(test("key-row")).size() == 1);
        assertEquals(401, Api.get("/api/v1/account", key).status());
        assertEquals(200, Api.get("/api/v1/account", account.apiKey()).status(), "the other key still works");
    }

    @Test
    void aNumberIsAddedWithATokenTheCloudApiAcceptsAndReleased() throws Exception {
        TestAccount account = account("Hooli");
        String id = TestAccounts.newPhoneNumberId();
        String token = "EAAG-dashboard-" + id;
        signIn(account);
        click(test("nav-numbers"));
        textEventually(By.cssSelector("h1.page-title"), "Phone numbers");
        assertEquals("page", visible(test("nav-numbers")).getDomAttribute("aria-current"));
        visible(test("numbers-empty"));

        click(test("add-number"));
        WebElement dialog = visible(test("number-dialog"));
        type(dialog, test("number-id"), id);
        type(dialog, test("number-display"), "+15550783881");
        type(dialog, test("number-token"), token);
        // No Cloud API yet: the dialog says so and keeps what was typed.
        click(dialog.findElement(test("save-number")));
        WebElement formError = visible(test("form-error"));
        assertTrue(formError.getText().contains("could not reach the WhatsApp Cloud API"), formError.getText());
        screenshot("number-unreachable");

        try (FakeGraphApi graph = FakeGraphApi.start()) {
            graph.own(token, id);
            type(dialog, test("number-token"), "EAAG-not-this-one");
            click(dialog.findElement(test("save-number")));
            WebElement tokenError = visible(test("field-error-accessToken"));
            assertTrue(tokenError.getText().contains("refused the access token"), tokenError.getText());
            assertEquals("true", dialog.findElement(test("number-token")).getDomAttribute("aria-invalid"));
            assertEquals(driver.switchTo().activeElement(), dialog.findElement(test("number-token")),
                    "focus goes to the token");
            screenshot("number-refused");
            assertEquals(0, numbers(account).size(), "nothing registered");

            type(dialog, test("number-token"), token);
            click(dialog.findElement(test("save-number")));
            gone(test("number-dialog"));
            WebElement row = visible(test("number-row"));
            assertEquals(id, row.findElement(test("number-id-cell")).getText());
            assertEquals("+15550783881", row.findElement(test("number-display-cell")).getText());
            assertTrue(row.findElement(test("number-token-cell")).getText().contains("Stored"));
            assertFalse(driver.getPageSource().contains(token), "the token is not kept in the page");
            assertEquals("Bearer " + token, graph.proofs(id).get(graph.proofs(id).size() - 1).header("Authorization"));
            screenshot("numbers");
        }
        assertEquals(1, numbers(account).size());

        click(driver.findElement(test("number-row")).findElement(test("release-number")));
        WebElement confirm = visible(test("release-dialog"));
        assertTrue(confirm.getText().contains(id), confirm.getText());
        click(confirm.findElement(test("confirm-release")));
        gone(test("release-dialog"));
        visible(test("numbers-empty"));
        assertEquals(0, numbers(account).size(), "released");
    }

    static List<JsonObject> numbers(TestAccount account) {
        Api.Reply reply = Api.get(account.path("/numbers"), account.apiKey());
        assertEquals(200, reply.status(), reply.body());
        return reply.json().getJsonArray("items").getValuesAs(JsonObject.class);
    }

    @Test
    void aPlainHttpUrlOutsideLoopbackIsRefusedNextToTheField() {
        TestAccount account = account("Globex");
        signIn(account);
        click(test("add-target"));
        WebElement dialog = visible(test("target-dialog"));
        type(dialog, test("target-url"), "http://example.com");
        type(dialog, test("target-name"), "Plain HTTP");
        click(dialog.findElement(test("event-message.inbound.received")));
        click(dialog.findElement(test("save-target")));

        WebElement error = visible(test("field-error-url"));
        assertTrue(error.getText().toLowerCase().contains("https"), error.getText());
        assertEquals("true", dialog.findElement(test("target-url")).getDomAttribute("aria-invalid"));
        assertTrue(dialog.findElement(test("form-error")).isDisplayed());
        assertEquals(driver.switchTo().activeElement(), dialog.findElement(test("target-url")), "focus goes to the field");
        screenshot("url-refused");
        assertEquals(0, Api.get(account.path("/webhook-targets"), account.apiKey()).json().getJsonArray("items").size(),
                "nothing was created");

        // Fixing the URL (loopback may use http://) clears the error and saves.
        WebElement url = dialog.findElement(test("target-url"));
        url.clear();
        url.sendKeys("http://localhost:9/hooks/whatsapp");
        assertFalse(error.isDisplayed());
        click(dialog.findElement(test("save-target")));
        visible(test("secret-dialog"));
        click(test("close-secret"));
        visible(test("target-row"));
    }

    @Test
    void aWrongKeyIsRefusedAndSignOutForgetsTheKey() {
        TestAccount account = account("Initech");
        visible(test("api-key")).sendKeys("pons_not_a_real_key");
        click(test("sign-in"));
        WebElement error = visible(test("sign-in-error"));
        assertTrue(error.getText().contains("not accepted"), error.getText());
        screenshot("sign-in-refused");

        signIn(account);
        assertEquals("Initech", visible(test("account-name")).getText());
        // On a phone: the sidebar folds into a top bar and the page still works.
        driver.manage().window().setSize(new Dimension(400, 860));
        visible(test("add-target"));
        screenshot("narrow");
        click(test("add-target"));
        visible(test("target-dialog"));
        screenshot("narrow-form");
        click(By.cssSelector("[data-test='target-dialog'] .dialog-footer .btn-secondary"));
        gone(test("target-dialog"));
        click(test("sign-out"));
        visible(test("api-key"));
        assertEquals(null, ((JavascriptExecutor) driver).executeScript("return sessionStorage.getItem('pons.apiKey')"));
    }

    @Test
    void customHeadersAreSentAndShownMaskedAndReplacedWhole() throws Exception {
        TestAccount account = account("Hooli");
        String token = "Bearer tok-0815-4711";
        try (Receiver receiver = Receiver.answering(200)) {
            signIn(account);
            click(test("add-target"));
            WebElement dialog = visible(test("target-dialog"));
            type(dialog, test("target-url"), receiver.url());
            type(dialog, test("target-name"), "With headers");
            click(dialog.findElement(test("event-message.inbound.received")));
            click(dialog.findElement(By.cssSelector("[data-test='headers-section'] > summary")));
            click(dialog.findElement(test("add-header")));
            click(dialog.findElement(test("add-header")));
            List<WebElement> names = dialog.findElements(test("header-name"));
            List<WebElement> values = dialog.findElements(test("header-value"));
            assertEquals(2, names.size());
            names.get(0).sendKeys("Authorization");
            values.get(0).sendKeys(token);
            names.get(1).sendKeys("X-Tenant");
            values.get(1).sendKeys("acme");
            screenshot("headers-form");
            click(dialog.findElement(test("save-target")));
            visible(test("secret-dialog"));
            click(test("close-secret"));
            gone(test("secret-dialog"));

            // Stored, answered masked, and shown only masked.
            WebElement row = visible(test("target-row"));
            String targetId = row.getDomAttribute("data-target-id");
            JsonObject headers = target(account, targetId).getJsonObject("headers");
            assertEquals("••••4711", headers.getString("Authorization"));
            assertEquals("••••", headers.getString("X-Tenant"));
            click(row.findElement(test("target-link")));
            WebElement shown = visible(test("detail-headers"));
            assertEquals(List.of("Authorization", "X-Tenant"), shown.findElements(test("detail-header")).stream()
                    .map(e -> e.getDomAttribute("data-name")).toList());
            assertEquals("••••4711", shown.findElement(By.cssSelector("[data-name='Authorization'] [data-test='detail-header-value']")).getText());
            assertFalse(driver.getPageSource().contains(token), "the full value is nowhere on the page");
            driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", shown);
            screenshot("headers-detail");

            // And sent in full: the test event arrives with them.
            click(test("send-test"));
            visible(test("test-outcome"));
            await("the test delivery", () -> receiver.requests().size() == 1);
            assertEquals(token, receiver.requests().get(0).header("Authorization"));
            assertEquals("acme", receiver.requests().get(0).header("X-Tenant"));

            // Editing something else keeps them: the PATCH leaves headers out.
            click(test("edit-target"));
            WebElement edit = visible(test("target-dialog"));
            WebElement current = visible(test("current-headers"));
            assertTrue(current.getText().contains("••••4711"), current.getText());
            assertTrue(edit.findElements(test("header-value")).isEmpty(), "no value inputs until the user replaces the set");
            driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", current);
            screenshot("headers-kept");
            type(edit, test("target-name"), "With headers, renamed");
            click(edit.findElement(test("save-target")));
            gone(test("target-dialog"));
            await("the rename", () -> "With headers, renamed".equals(target(account, targetId).getString("name")));
            assertEquals(2, target(account, targetId).getJsonObject("headers").size(), "kept");

            // Replacing: the names come back, every value is typed again; a removed row is gone.
            click(test("edit-target"));
            edit = visible(test("target-dialog"));
            click(edit.findElement(test("replace-headers")));
            assertEquals(2, edit.findElements(test("header-row")).size());
            click(edit.findElements(test("remove-header")).get(1));
            assertEquals(1, edit.findElements(test("header-row")).size());
            edit.findElement(test("header-value")).sendKeys("Bearer tok-new-9999");
            screenshot("headers-replace");
            click(edit.findElement(test("save-target")));
            gone(test("target-dialog"));
            await("the replaced headers", () -> target(account, targetId).getJsonObject("headers").size() == 1);
            assertEquals("••••9999", target(account, targetId).getJsonObject("headers").getString("Authorization"));
            textEventually(test("detail-headers"), "••••9999");
            assertTrue(driver.findElements(By.cssSelector("[data-test='detail-header'][data-name='X-Tenant']")).isEmpty());
        }
    }

    @Test
    void aTargetAddedWithoutANameIsNamedAfterItsUrl() {
        TestAccount account = account("Kramerica");
        signIn(account);
        click(test("add-target"));
        WebElement dialog = visible(test("target-dialog"));
        type(dialog, test("target-url"), "http://localhost:9/unnamed");
        click(dialog.findElement(test("event-message.inbound.received")));
        click(dialog.findElement(test("save-target")));
        click(visible(test("secret-dialog")).findElement(test("close-secret")));
        gone(test("secret-dialog"));
        var items = Api.get(account.path("/webhook-targets"), account.apiKey()).json().getJsonArray("items");
        assertEquals(1, items.size(), "the blank name is not refused");
        assertEquals("http://localhost:9/unnamed", items.getJsonObject(0).getString("name"));
    }

    @Test
    void aRefusedHeaderNameIsShownNextToTheHeadersAndNothingIsSaved() {
        TestAccount account = account("Vandelay");
        signIn(account);
        click(test("add-target"));
        WebElement dialog = visible(test("target-dialog"));
        type(dialog, test("target-url"), "http://localhost:9/hooks");
        type(dialog, test("target-name"), "Refused header"); // so the header is the only problem
        click(dialog.findElement(test("event-message.inbound.received")));
        click(dialog.findElement(By.cssSelector("[data-test='headers-section'] > summary")));
        click(dialog.findElement(test("add-header")));
        dialog.findElement(test("header-name")).sendKeys("X-Pons-Override");
        dialog.findElement(test("header-value")).sendKeys("yes");
        click(dialog.findElement(test("save-target")));

        WebElement error = visible(test("field-error-headers"));
        assertTrue(error.getText().startsWith("headers.X-Pons-Override: "), error.getText());
        assertEquals(List.of(), dialog.findElements(By.cssSelector(".field-error:not([hidden])")).stream()
                .filter(e -> !e.equals(error)).map(WebElement::getText).toList(), "no other field is blamed");
        assertEquals("true", dialog.findElement(test("header-name")).getDomAttribute("aria-invalid"));
        assertTrue(dialog.findElement(test("form-error")).isDisplayed());
        screenshot("header-refused");
        assertEquals(0, Api.get(account.path("/webhook-targets"), account.apiKey()).json().getJsonArray("items").size(),
                "nothing was created");
    }

    @Test
    void aFilterIsTriedOnTheLastEventsSavedAndShown() throws InterruptedException {
        TestAccount account = account("Soylent");
        String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        String targetId = createTarget(account, "Filtered");
        assertEquals(200, Meta.post(Meta.fresh("inbound-text.json", number)).status());
        assertEquals(200, Meta.post(Meta.fresh("inbound-interactive-button.json", number)).status());
        signIn(account);
        click(visible(test("target-row")).findElement(test("target-link")));
        assertEquals("true", visible(test("detail-filter")).getDomAttribute("data-empty"));

        click(test("edit-target"));
        WebElement dialog = visible(test("target-dialog"));
        click(dialog.findElement(By.cssSelector("[data-test='filter-section'] > summary")));
        type(dialog, test("target-filter"), "{\"payload.type\": \"text\"}");
        click(dialog.findElement(test("try-filter")));
        textEventually(test("filter-result"), "Matches 1 of the last 2 events");
        settled(dialog.findElement(test("try-filter")));
        screenshot("filter-tried");
        click(dialog.findElement(test("save-target")));
        gone(test("target-dialog"));
        await("the filter saved", () -> {
            JsonObject filter = target(account, targetId).getJsonObject("filter");
            return filter != null && "text".equals(filter.getString("payload.type", null)) && filter.size() == 1;
        });
        textEventually(test("detail-filter"), "\"payload.type\": \"text\"");
        driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", driver.findElement(test("detail-filter")));
        screenshot("filter-detail");

        // Opening the form again shows it, and saving unchanged sends no filter (nothing to replace).
        click(test("edit-target"));
        dialog = visible(test("target-dialog"));
        assertTrue(dialog.findElement(test("target-filter")).getDomProperty("value").contains("\"payload.type\": \"text\""));
        click(dialog.findElement(test("save-target")));
        gone(test("target-dialog"));
    }

    @Test
    void anInvalidFilterIsReportedWithItsPathAndNotSaved() {
        TestAccount account = account("Umbrella");
        String targetId = createTarget(account, "Strict");
        signIn(account);
        click(visible(test("target-row")).findElement(test("target-link")));
        click(test("edit-target"));
        WebElement dialog = visible(test("target-dialog"));
        click(dialog.findElement(By.cssSelector("[data-test='filter-section'] > summary")));

        // Not JSON: said in the browser, nothing asked of the server.
        type(dialog, test("target-filter"), "{payload.type: text}");
        click(dialog.findElement(test("try-filter")));
        WebElement error = visible(test("field-error-filter"));
        assertTrue(error.getText().startsWith("Not valid JSON"), error.getText());

        // JSON, but an operator the server does not know: its detail, path included.
        type(dialog, test("target-filter"), "{\"payload.type\": {\"$regex\": \"^te\"}}");
        assertFalse(error.isDisplayed(), "typing clears the error");
        click(dialog.findElement(test("try-filter")));
        textEventually(test("field-error-filter"), "filter.payload.type.$regex: unknown operator");
        assertEquals("true", dialog.findElement(test("target-filter")).getDomAttribute("aria-invalid"));
        screenshot("filter-invalid");

        // Saving it anyway is refused the same way, and the target keeps no filter.
        click(dialog.findElement(test("save-target")));
        until("the refusal", d -> dialog.findElement(test("form-error")).isDisplayed());
        textEventually(test("field-error-filter"), "filter.payload.type.$regex: unknown operator");
        assertTrue(target(account, targetId).isNull("filter"));
        screenshot("filter-refused");
    }

    @Test
    void theVerifyingPanelShowsTheStandardWebhooksHeadersAndTheReadmeSnippets() throws IOException {
        TestAccount account = account("Wonka");
        createTarget(account, "Verified");
        signIn(account);
        click(visible(test("target-row")).findElement(test("target-link")));
        WebElement panel = visible(test("verify-panel"));
        String headers = panel.findElement(test("verify-headers")).getText();
        for (String header : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            assertTrue(headers.contains(header), headers);
        }
        assertTrue(panel.findElement(test("verify-pons")).getText().contains("X-Pons-Signature"));
        // The snippets are the README's, which ReceiverSnippetsIT runs against real deliveries.
        String readme = Files.readString(Path.of("README.md"));
        WebElement node = panel.findElement(By.cssSelector("[data-test='verify-node'] pre"));
        WebElement java = panel.findElement(By.cssSelector("[data-test='verify-java'] pre"));
        assertTrue(node.isDisplayed() && java.isDisplayed());
        assertEquals(readmeBlock(readme, "node-standard"), node.getDomProperty("textContent"));
        assertEquals(readmeBlock(readme, "java-standard"), java.getDomProperty("textContent"));
        assertEquals(readmeBlock(readme, "python-standard"),
                panel.findElement(By.cssSelector("[data-test='verify-python'] pre")).getDomProperty("textContent"));
        assertTrue(node.getDomProperty("textContent").contains("new Webhook(secret).verify(rawBody, headers)"));
        driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", panel);
        screenshot("verify-panel");
    }

    @Test
    void aFifoTargetWithARateLimitIsAddedEditedAndAnOutOfRangeRateIsRefused() {
        TestAccount account = account("Cyberdyne");
        signIn(account);
        click(test("add-target"));
        WebElement dialog = visible(test("target-dialog"));
        type(dialog, test("target-url"), "http://localhost:9/hooks/fifo");
        type(dialog, test("target-name"), "In order");
        click(dialog.findElement(test("event-message.inbound.received")));
        click(dialog.findElement(By.cssSelector("[data-test='ordering-section'] > summary")));
        assertTrue(dialog.findElement(test("ordering-unordered")).isSelected(), "unordered unless chosen");
        click(dialog.findElement(test("ordering-fifo")));
        type(dialog, test("target-rateLimitPerSecond"), "0");

        // Out of range: the server's detail next to the field, nothing created.
        click(dialog.findElement(test("save-target")));
        WebElement error = visible(test("field-error-rateLimitPerSecond"));
        assertEquals("must be between 1 and 10000", error.getText());
        assertEquals("true", dialog.findElement(test("target-rateLimitPerSecond")).getDomAttribute("aria-invalid"));
        assertEquals(driver.switchTo().activeElement(), dialog.findElement(test("target-rateLimitPerSecond")),
                "focus goes to the field");
        screenshot("rate-refused");
        assertEquals(0, Api.get(account.path("/webhook-targets"), account.apiKey()).json().getJsonArray("items").size(),
                "nothing was created");

        type(dialog, test("target-rateLimitPerSecond"), "25");
        assertFalse(error.isDisplayed(), "typing clears the error");
        textEventually(By.cssSelector("[data-test='ordering-section'] .field-hint"), "one attempt every 40 ms");
        screenshot("ordering-form");
        click(dialog.findElement(test("save-target")));
        click(visible(test("secret-dialog")).findElement(test("close-secret")));
        gone(test("secret-dialog"));

        WebElement row = visible(test("target-row"));
        String targetId = row.getDomAttribute("data-target-id");
        JsonObject stored = target(account, targetId);
        assertEquals("fifo", stored.getString("ordering"));
        assertEquals(25, stored.getInt("rateLimitPerSecond"));
        assertEquals("FIFO", row.findElement(test("chip-fifo")).getText());
        assertTrue(row.findElement(test("chip-rate")).getText().contains("25/s"));

        // The detail page says so, and shows the (empty) line.
        click(row.findElement(test("target-link")));
        assertEquals("fifo", visible(test("detail-ordering")).getDomAttribute("data-ordering"));
        assertTrue(driver.findElement(test("detail-rate-limit")).getText().contains("25 attempts per second"));
        visible(test("line-card"));
        until("the empty line", d -> "empty".equals(d.findElement(test("line-state")).getDomAttribute("data-state")));
        assertTrue(driver.findElement(test("line-state")).getText().startsWith("Empty"));

        // Emptying the limit clears it: the PATCH sends null.
        click(test("edit-target"));
        WebElement edit = visible(test("target-dialog"));
        assertTrue(edit.findElement(test("ordering-fifo")).isSelected());
        assertEquals("25", edit.findElement(test("target-rateLimitPerSecond")).getDomProperty("value"));
        edit.findElement(test("target-rateLimitPerSecond")).clear();
        click(edit.findElement(test("save-target")));
        gone(test("target-dialog"));
        await("the limit cleared", () -> target(account, targetId).isNull("rateLimitPerSecond"));
        assertEquals("fifo", target(account, targetId).getString("ordering"), "the ordering is kept");
        textEventually(test("detail-rate-limit"), "None");

        // Back to unordered: the line panel goes.
        click(test("edit-target"));
        edit = visible(test("target-dialog"));
        click(edit.findElement(test("ordering-unordered")));
        click(edit.findElement(test("save-target")));
        gone(test("target-dialog"));
        await("unordered", () -> "unordered".equals(target(account, targetId).getString("ordering")));
        gone(test("line-card"));
        assertEquals("unordered", driver.findElement(test("detail-ordering")).getDomAttribute("data-ordering"));
    }

    @Test
    void theLineOfAFailingFifoTargetShowsItsHeadWhyItWaitsAndWhatWaitsBehindIt() throws Exception {
        TestAccount account = account("Tyrell");
        String number = TestAccounts.registerNumber(account, TestAccounts.newPhoneNumberId());
        try (Receiver receiver = Receiver.answering(500)) {
            // A long backoff: after its first failed attempt the head waits ten minutes for its retry.
            Api.Reply created = Api.post(account.path("/webhook-targets"), account.apiKey(), Json.createObjectBuilder()
                    .add("name", "Ledger").add("url", receiver.url())
                    .add("events", Json.createArrayBuilder().add("message.inbound.received"))
                    .add("ordering", "fifo").add("maxAttempts", 3)
                    .add("initialBackoffMs", 600_000).add("maxBackoffMs", 3_600_000).build().toString());
            assertEquals(201, created.status(), created.body());
            String targetId = created.json().getString("id");
            assertEquals(200, Meta.post(Meta.fresh("inbound-text.json", number)).status());
            assertEquals(200, Meta.post(Meta.fresh("inbound-text.json", number)).status());
            await("the head failed once and waits for its retry, the second event behind it", () -> {
                JsonObject line = line(account, targetId);
                return "retry_scheduled".equals(line.getString("state")) && line.getInt("waiting") == 1;
            });
            JsonObject head = line(account, targetId).getJsonObject("head");
            String headId = head.getString("id");
            assertEquals(1, receiver.requests().size(), "the second delivery waits: not attempted");

            signIn(account);
            click(visible(test("target-row")).findElement(test("target-link")));
            WebElement card = visible(test("line-card"));
            until("the line loaded", d -> "retry_scheduled".equals(d.findElement(test("line-state")).getDomAttribute("data-state")));
            assertTrue(card.findElement(test("line-state")).getText().startsWith("Waiting for retry at "),
                    card.findElement(test("line-state")).getText());
            assertEquals(headId, card.findElement(test("line-head")).getDomAttribute("data-delivery-id"));
            assertEquals("1 of 3", card.findElement(test("line-head-attempts")).getText());
            assertTrue(card.findElement(test("line-head-error")).getText().contains("500"),
                    card.findElement(test("line-head-error")).getText());
            assertFalse(card.findElement(test("line-head-next")).getText().equals("—"), "the retry time is shown");
            assertEquals("1", card.findElement(test("line-waiting")).getDomAttribute("data-waiting"));
            assertEquals("1 waiting behind it", card.findElement(test("line-waiting")).getText());
            driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", card);
            screenshot("line");

            // The head's id opens that delivery.
            click(card.findElement(test("line-head-id")));
            WebElement deliveryDialog = visible(test("delivery-dialog"));
            until("the head's delivery shown", d -> deliveryDialog.getText().contains(headId));
            click(deliveryDialog.findElement(test("close-delivery")));
            gone(test("delivery-dialog"));

            // Turned off: the line says why it waits now.
            click(test("enabled-toggle"));
            until("the paused line", d -> "paused".equals(d.findElement(test("line-state")).getDomAttribute("data-state")));
            assertTrue(driver.findElement(test("line-state")).getText().startsWith("Target disabled"));
            assertEquals("1 waiting behind it", driver.findElement(test("line-waiting")).getText());
            assertEquals(1, receiver.requests().size());
        }
    }

    /**
     * The IT server configures the destinations {@code example} (a queue the server binds) and {@code nowhere}
     * (bound nowhere), as JmsTargetsIT says; the operator grants both to the account through the API.
     */
    @Test
    void aJmsTargetIsCreatedFromTheGrantedDestinationsShownTestedAndMovedToAnother() {
        TestAccount account = account("Initech");
        grant(account, "example");
        grant(account, "nowhere");
        signIn(account);

        click(test("add-target"));
        WebElement dialog = visible(test("target-dialog"));
        assertTrue(dialog.findElement(test("kind-http")).isSelected(), "an HTTP endpoint unless chosen");
        assertFalse(dialog.findElement(test("destination-field")).isDisplayed());
        click(dialog.findElement(test("kind-jms")));
        assertFalse(dialog.findElement(test("url-field")).isDisplayed(), "a JMS target has no URL");
        assertFalse(dialog.findElement(test("headers-section")).isDisplayed(), "nor custom headers");
        assertTrue(dialog.findElement(test("target-timeoutMs")).isEnabled(), "its sends have a timeout");
        Select destination = new Select(dialog.findElement(test("target-destination")));
        assertEquals(List.of("example", "nowhere"), destination.getOptions().stream().map(WebElement::getText).toList(),
                "the granted destinations, by name only");
        destination.selectByValue("example");
        click(dialog.findElement(test("event-message.inbound.received")));
        screenshot("jms-form");
        click(dialog.findElement(test("save-target")));

        WebElement secretDialog = visible(test("secret-dialog"));
        assertTrue(secretDialog.findElement(test("verify-note")).getText().contains("PonsSignature"),
                "the secret verifies the messages' properties, not HTTP headers");
        click(secretDialog.findElement(test("close-secret")));
        gone(test("secret-dialog"));

        WebElement row = visible(test("target-row"));
        String targetId = row.getDomAttribute("data-target-id");
        JsonObject stored = target(account, targetId);
        assertEquals("jms", stored.getString("type"));
        assertEquals("example", stored.getString("destination"));
        assertTrue(stored.isNull("url"));
        assertEquals("example", stored.getString("name"), "named after its destination when left blank");
        assertTrue(row.getText().contains("JMS destination example"), row.getText());
        screenshot("jms-listed");

        // The detail page says where it publishes; a test send is published, and said so.
        click(row.findElement(test("target-link")));
        assertEquals("JMS destination example", visible(test("detail-url")).getText());
        assertTrue(driver.findElement(test("test-explained")).getText().contains("Publishes a signed test message to example"),
                driver.findElement(test("test-explained")).getText());
        assertTrue(driver.findElement(test("verify-card")).getText().contains("PonsSignature"));
        assertFalse(driver.findElement(test("verify-card")).getText().contains("webhook-signature"),
                "no Standard Webhooks headers on a JMS message");
        assertFalse(driver.findElement(test("config")).getText().contains("Custom headers"));
        click(test("send-test"));
        WebElement outcome = visible(test("test-outcome"));
        assertEquals("true", outcome.getDomAttribute("data-succeeded"), outcome.getText());
        assertTrue(outcome.getText().contains("Published"), outcome.getText());
        assertTrue(outcome.getText().contains("Committed to example"), outcome.getText());
        assertFalse(outcome.getText().contains("HTTP"), outcome.getText());
        until("the test delivery listed as succeeded", d -> rows("succeeded") == 1);
        WebElement succeeded = driver.findElement(By.cssSelector("[data-test='delivery-row'][data-status='succeeded']"));
        assertTrue(succeeded.getText().contains("Committed"), succeeded.getText());
        screenshot("jms-detail");

        // Edited: the type stays, the destination moves to the other granted one.
        click(test("edit-target"));
        WebElement edit = visible(test("target-dialog"));
        assertTrue(edit.findElements(test("kind-choice")).isEmpty(), "the type is fixed once created");
        assertFalse(edit.findElement(test("url-field")).isDisplayed());
        Select moved = new Select(edit.findElement(test("target-destination")));
        assertEquals("example", moved.getFirstSelectedOption().getText());
        moved.selectByValue("nowhere");
        screenshot("jms-edit");
        click(edit.findElement(test("save-target")));
        gone(test("target-dialog"));
        await("the destination changed", () -> "nowhere".equals(target(account, targetId).getString("destination")));
        assertEquals("jms", target(account, targetId).getString("type"));
        textEventually(test("detail-url"), "JMS destination nowhere");
        textEventually(test("test-explained"), "Publishes a signed test message to nowhere");

        // The server binds no queue for "nowhere": the test send fails, and the page says why.
        click(test("send-test"));
        until("a failed test outcome", d -> "false".equals(d.findElement(test("test-outcome")).getDomAttribute("data-succeeded")));
        outcome = driver.findElement(test("test-outcome"));
        assertTrue(outcome.getText().contains("Not committed"), outcome.getText());
        assertTrue(outcome.getText().contains("destination unavailable: nowhere"), outcome.getText());
        assertTrue(outcome.getText().contains("Only a send the broker committed counts as delivered"), outcome.getText());
        screenshot("jms-test-failed");
    }

    @Test
    void anAccountWithoutGrantedDestinationsIsOfferedHttpEndpointsOnly() throws InterruptedException {
        TestAccount account = account("Hooli");
        signIn(account);
        // An impatient double click: the form loads the account's grants first, and still opens once.
        WebElement add = until("clickable add", ExpectedConditions.elementToBeClickable(test("add-target")));
        new Actions(driver).doubleClick(add).perform();
        WebElement dialog = visible(test("target-dialog"));
        Thread.sleep(500);
        assertEquals(1, driver.findElements(test("target-dialog")).size(), "one form for a double click");
        assertTrue(dialog.findElement(test("url-field")).isDisplayed());
        assertTrue(dialog.findElements(test("kind-choice")).isEmpty(), "no kind to choose without a destination");
        assertTrue(dialog.findElements(test("target-destination")).isEmpty());
        screenshot("no-grants-form");
    }

    static void grant(TestAccount account, String destination) {
        Api.Reply reply = Api.post(account.path("/jms-destinations"), Api.ADMIN_TOKEN,
                Json.createObjectBuilder().add("name", destination).build().toString());
        assertEquals(201, reply.status(), reply.body());
    }

    static JsonObject line(TestAccount account, String targetId) {
        Api.Reply reply = Api.get(account.path("/webhook-targets/" + targetId + "/line"), account.apiKey());
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static TestAccount account(String name) {
        Api.Reply reply = Api.post("/api/v1/accounts", Api.ADMIN_TOKEN,
                Json.createObjectBuilder().add("name", name).build().toString());
        assertEquals(201, reply.status(), reply.body());
        return new TestAccount(reply.json().getString("id"), reply.json().getString("apiKey"));
    }

    void signIn(TestAccount account) {
        WebElement key = visible(test("api-key"));
        screenshot("sign-in");
        key.sendKeys(account.apiKey());
        click(test("sign-in"));
        visible(test("account"));
        visible(By.cssSelector("h1.page-title"));
    }

    /** For a screenshot: the button is no longer busy and its text has faded back in (a 0.12 s transition). */
    static void settled(WebElement button) throws InterruptedException {
        until("the button to be idle", d -> button.getDomAttribute("aria-busy") == null);
        Thread.sleep(300);
    }

    static By test(String name) {
        return By.cssSelector("[data-test='" + name + "']");
    }

    /** Waits (up to {@link #WAIT}) for what a user would wait for; the message says what never came. */
    static <T> T until(String what, ExpectedCondition<T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class);
        wait.withMessage("waiting for " + what);
        return wait.until(condition);
    }

    static WebElement visible(By by) {
        return until("visible " + by, ExpectedConditions.visibilityOfElementLocated(by));
    }

    static void gone(By by) {
        until("gone " + by, ExpectedConditions.invisibilityOfElementLocated(by));
    }

    /**
     * A page that re-renders (the target detail reloads after a save, or when its deliveries change) can
     * replace the element between finding and clicking it; a user would click the new one, so the locator
     * is looked up again until a shown, enabled match takes the click. Of several matches the one shown
     * is clicked: a copy being swapped out of the page may still stand before it.
     */
    static void click(By by) {
        until("clickable " + by, d -> {
            for (WebElement element : d.findElements(by)) {
                try {
                    if (element.isDisplayed() && element.isEnabled()) {
                        driver.executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})", element);
                        element.click();
                        return true;
                    }
                } catch (StaleElementReferenceException | ElementClickInterceptedException replaced) {
                    // look it up again on the next poll
                }
            }
            return null;
        });
    }

    /** Scrolls the element to the middle first, as a user would, clear of the sticky top bar. */
    static void click(WebElement element) {
        until("clickable " + element, ExpectedConditions.elementToBeClickable(element));
        driver.executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})", element);
        element.click();
    }

    static void type(SearchContext within, By by, String text) {
        WebElement input = within.findElement(by);
        input.clear();
        input.sendKeys(text);
    }

    static void textEventually(By by, String text) {
        try {
            until("'" + text + "' in " + by, d -> d.findElement(by).getText().contains(text));
        } catch (TimeoutException e) {
            throw new AssertionError("expected '" + text + "' in " + by + ", saw: "
                    + driver.findElements(by).stream().map(WebElement::getText).toList(), e);
        }
    }

    static long rows(String status) {
        return driver.findElements(By.cssSelector("[data-test='delivery-row'][data-status='" + status + "']")).size();
    }

    static String clipboard() {
        Object text = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "navigator.clipboard.readText().then(done, e => done('clipboard unreadable: ' + e));");
        return String.valueOf(text);
    }

    /** A target made through the API (not the form), for tests about what comes after. */
    static String createTarget(TestAccount account, String name) {
        Api.Reply reply = Api.post(account.path("/webhook-targets"), account.apiKey(), Json.createObjectBuilder()
                .add("name", name).add("url", "http://127.0.0.1:9/hooks")
                .add("events", Json.createArrayBuilder().add("message.inbound.received")).build().toString());
        assertEquals(201, reply.status(), reply.body());
        return reply.json().getString("id");
    }

    /** The code block after {@code <!-- verify:<name> -->} in the README, without its fences. */
    static String readmeBlock(String readme, String name) {
        int marker = readme.indexOf("<!-- verify:" + name + " -->");
        assertTrue(marker >= 0, "README has no snippet " + name);
        int start = readme.indexOf('\n', readme.indexOf("```", marker)) + 1;
        return readme.substring(start, readme.indexOf("\n```", start));
    }

    static JsonObject target(TestAccount account, String targetId) {
        Api.Reply reply = Api.get(account.path("/webhook-targets/" + targetId), account.apiKey());
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    static JsonObject delivery(TestAccount account, String deliveryId) {
        Api.Reply reply = Api.get(account.path("/deliveries/" + deliveryId), account.apiKey());
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    static void await(String what, java.util.function.BooleanSupplier condition) {
        Api.await(what, WAIT, condition);
    }

    /** What the window shows now, as target/screenshots/NN-test-state.png. */
    void screenshot(String state) {
        save(state, driver.getScreenshotAs(OutputType.BYTES));
    }

    /** The whole page, beyond the window's height (Chromium's own capture, no devtools binding needed). */
    void fullPageScreenshot(String state) {
        Map<String, Object> size = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> content = (Map<String, Object>) size.get("cssContentSize");
        double width = ((Number) content.get("width")).doubleValue();
        double height = ((Number) content.get("height")).doubleValue();
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
                "format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        save(state, java.util.Base64.getDecoder().decode((String) shot.get("data")));
    }

    private void save(String state, byte[] png) {
        try {
            shot++;
            Files.write(SCREENSHOTS.resolve(String.format("%02d-%s-%s.png", shot, testName, state)), png);
        } catch (IOException | WebDriverException e) {
            throw new AssertionError("could not save a screenshot", e);
        }
    }

    /**
     * The README's picture, when -Dpons.it.docScreenshot names a file: the detail page of a target with
     * a delivered and a failed test event, tall enough to show the delivery log.
     */
    void saveDocScreenshot() throws IOException {
        if (DOC_SCREENSHOT.isBlank()) {
            return;
        }
        Dimension size = driver.manage().window().getSize();
        try {
            driver.manage().window().setSize(new Dimension(1440, 1480));
            driver.executeScript("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()");
            new Actions(driver).moveToLocation(1, 1).perform();
            until("the page to settle", d -> driver.findElements(By.cssSelector("[aria-busy='true']")).isEmpty());
            Path file = Path.of(DOC_SCREENSHOT);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } finally {
            driver.manage().window().setSize(size);
        }
    }
}
