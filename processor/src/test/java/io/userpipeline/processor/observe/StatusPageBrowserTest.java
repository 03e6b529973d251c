package io.userpipeline.processor.observe;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.userpipeline.event.RejectionReason;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.TestKafka;
import io.userpipeline.servers.TestTiers;

/**
 * The live status page in a real browser (headless Chromium): after records flow, it shows the latest stored
 * users, latencies and dead letters by reason, with profile text shown as text, never run as HTML.
 */
@QuarkusTest
@Tag(TestTiers.SERVERS)
class StatusPageBrowserTest {

    @TestHTTPResource("/status.html")
    URL statusPage;

    @Test
    void theStatusPageShowsWhatWasJustStoredAndDeadLettered() throws Exception {
        Path chromium = chromium();
        UUID userId = UUID.randomUUID();
        UserEvent user = new UserEvent(1, UUID.randomUUID(), "generator", Instant.now(), userId, null, "Browser",
                "Check<script>alert(1)</script>", "female", "browser.check@example.com", "+33 1 23 45 67 89", null,
                LocalDate.of(1985, 2, 3), "1 Rue Test", "Lyon", null, "France", "69001", "browsercheck",
                Instant.parse("2020-01-01T00:00:00Z"), null, "FR");
        TestKafka.produce(TestKafka.USER_TOPIC, List.of(
                TestKafka.record(userId.toString(), UserEventJson.write(user)),
                TestKafka.record("status-page-bad", "{not json")));
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/users/" + userId).statusCode() == 200);

        String dom = renderInBrowser(chromium, statusPage.toString());

        assertThat(dom).contains(userId.toString(), "France", RejectionReason.MALFORMED_JSON.wireName())
                .contains("Browser Check&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("not loaded yet")
                .doesNotContain("did not answer")
                .containsPattern("id=\"latency-p99\">\\d+(\\.\\d)? m?s<")
                .containsPattern("<rect [^>]*class=\"stored\"")
                .contains("id=\"pipeline-state\">running<");
    }

    private static String renderInBrowser(Path chromium, String url) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("status-page-chromium");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=8000", "--dump-dom", url));
        Process browser = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] dom = browser.getInputStream().readAllBytes();
        assertThat(browser.waitFor(90, TimeUnit.SECONDS)).as("Chromium finished").isTrue();
        return new String(dom, StandardCharsets.UTF_8);
    }

    /** Chromium from the system; CI installs it, so there its absence is a failure, elsewhere a skipped test. */
    private static Path chromium() {
        Path found = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
                .map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        if (found == null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("Chromium is needed for the status page test: apt-get install chromium");
        }
        Assumptions.assumeTrue(found != null, "Chromium is not installed; the status page browser test is skipped");
        return found;
    }
}
