package io.userpipeline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import io.userpipeline.event.DeadLetterHeaders;
import io.userpipeline.event.RejectionReason;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.servers.FreePorts;
import io.userpipeline.servers.QuarkusService;
import io.userpipeline.servers.TestTiers;

/**
 * The console used as a person would, in Chromium driven by Playwright, against the packaged ingestor and processor
 * and the real servers: live rates move while a run it triggered goes on, processing pauses (lag grows) and
 * resumes (lag drains), a restarted processor stays paused, dead letters filter by reason and replay into both stores, and markup in a profile or a
 * dead letter is shown as text. Its own topics, consumer group, keyspace and database keep it apart from the
 * end-to-end test. It leaves a screenshot of the console ({@code e2e.screenshot}) for the README.
 */
@Tag(TestTiers.SERVERS)
class ConsoleBrowserIT {

    static final String USER_TOPIC = "console-user-profiles";
    static final String TUTORIAL_TOPIC = "console-users-created";
    static final String DEAD_LETTER_TOPIC = "console-user-profiles-dlq";
    static final String MARKUP = "<script>alert('console')</script>";
    static final Duration WAIT = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();

    static QuarkusService processor;
    static QuarkusService ingestor;
    static Playwright playwright;
    static Browser browser;
    static final List<String> dialogs = new ArrayList<>();

    @BeforeAll
    static void start() throws SQLException {
        String postgresUrl = System.getProperty("quarkus.datasource.jdbc.url");
        try (Connection postgres = DriverManager.getConnection(postgresUrl, System.getProperty("quarkus.datasource.username"),
                System.getProperty("quarkus.datasource.password"))) {
            postgres.createStatement().execute("DROP DATABASE IF EXISTS console WITH (FORCE)");
            postgres.createStatement().execute("CREATE DATABASE console");
        }
        int ingestorPort = FreePorts.next();
        String kafka = System.getProperty("kafka.bootstrap.servers");
        Map<String, String> processorConfig = new HashMap<>();
        for (String key : List.of("quarkus.cassandra.contact-points", "quarkus.cassandra.local-datacenter",
                "quarkus.datasource.username", "quarkus.datasource.password")) {
            processorConfig.put(key, System.getProperty(key));
        }
        processorConfig.put("kafka.bootstrap.servers", kafka);
        processorConfig.put("quarkus.datasource.jdbc.url", postgresUrl.replaceFirst("/[^/?]*(\\?|$)", "/console$1"));
        processorConfig.put("quarkus.datasource.reactive.url",
                System.getProperty("quarkus.datasource.reactive.url").replaceFirst("/[^/?]*(\\?|$)", "/console$1"));
        processorConfig.put("pipeline.cassandra.keyspace", "console_pipeline");
        processorConfig.put("mp.messaging.incoming.user-profiles.topic", USER_TOPIC);
        processorConfig.put("mp.messaging.incoming.user-profiles.group.id", "console-processor");
        processorConfig.put("mp.messaging.incoming.tutorial-users.topic", TUTORIAL_TOPIC);
        processorConfig.put("mp.messaging.incoming.tutorial-users.group.id", "console-processor");
        processorConfig.put("mp.messaging.outgoing.dead-letters.topic", DEAD_LETTER_TOPIC);
        processorConfig.put("pipeline.analytics.refresh-interval", "1h");
        processorConfig.put("pipeline.operations.ingestor-url", "http://127.0.0.1:" + ingestorPort);
        Path work = Path.of(System.getProperty("e2e.work"));
        processor = new QuarkusService("console-processor", Path.of(System.getProperty("e2e.processor")),
                work.resolve("console-processor"), FreePorts.next(), processorConfig);
        ingestor = new QuarkusService("console-ingestor", Path.of(System.getProperty("e2e.ingestor")),
                work.resolve("console-ingestor"), ingestorPort, Map.of(
                        "kafka.bootstrap.servers", kafka,
                        "mp.messaging.outgoing.user-profiles.topic", USER_TOPIC,
                        "ingestion.source", "generator",
                        "ingestion.interval", "off"));
        processor.start();
        ingestor.start();
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium())
                .setArgs(List.of("--no-sandbox", "--disable-gpu")));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (ingestor != null) {
            ingestor.stop();
        }
        if (processor != null) {
            processor.stop();
        }
    }

    @Test
    void anOperatorWatchesPausesTriggersAndReplaysFromTheConsole() throws Exception {
        Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1500, 1000));
        page.onDialog(dialog -> {
            if ("confirm".equals(dialog.type()) && dialog.message().startsWith("Re-publish")) {
                dialog.accept(); // the replay button asks first
            } else {
                dialogs.add(dialog.message());
                dialog.dismiss();
            }
        });
        page.navigate(processor.url() + "/console.html");
        expect(page.locator("#updated")).containsText("last update");

        // A run triggered from the console: the rates move while it goes on, and its history row ends succeeded.
        page.locator("#trigger-profiles").fill("2400");
        page.locator("#trigger-rate").fill("400");
        page.locator("#trigger").click();
        expect(page.locator("#trigger-result")).containsText("started run");
        String runId = page.locator("#trigger-result").textContent().replace("started run", "").strip();
        Pattern positive = Pattern.compile("^[1-9][\\d,]*$");
        expect(page.locator("#rate-published")).hasText(positive);
        expect(page.locator("#rate-stored-cassandra")).hasText(positive);
        expect(page.locator("#rate-stored-postgresql")).hasText(positive);
        expect(page.locator("#runs tr").filter(new Locator.FilterOptions().setHasText(runId))).containsText("succeeded");
        expect(page.locator("#latency-p99")).hasText(Pattern.compile("^\\d+(\\.\\d)? m?s$"));
        expect(page.locator("#throughput rect.stored:not([height=\"0\"])").first()).isVisible();

        // Processing paused from the console: records wait in Kafka (lag), none consumed; resumed, the lag drains.
        Locator userChannel = page.locator("#processing tr").filter(new Locator.FilterOptions().setHasText("user-profiles"));
        expect(page.locator("#lag-total")).hasText("0");
        userChannel.getByText("Pause").click();
        expect(userChannel).containsText("paused since");
        page.locator("#trigger-profiles").fill("300");
        page.locator("#trigger-rate").fill("1000");
        page.locator("#trigger").click();
        expect(page.locator("#lag-total")).hasText("300");
        JsonNode storedBefore = JSON.readTree(get(processor.url() + "/console/overview")).get("stored");
        page.waitForTimeout(4000); // two refreshes and four commit intervals: a pause holds, it does not merely lag
        expect(page.locator("#lag-total")).hasText("300");
        expect(page.locator("#rate-consumed")).hasText("0");
        assertThat(JSON.readTree(get(processor.url() + "/console/overview")).get("stored"))
                .as("users stored while paused").isEqualTo(storedBefore);
        // A restart keeps the pause: the processor starts with its channels paused and reads the pause back.
        processor.stop();
        processor.start();
        page.reload();
        expect(userChannel).containsText("paused since");
        page.locator("#trigger-profiles").fill("200");
        page.locator("#trigger").click();
        expect(page.locator("#lag-total")).hasText("500");
        page.waitForTimeout(4000);
        expect(page.locator("#lag-total")).hasText("500");
        userChannel.getByText("Resume").click();
        expect(userChannel).containsText("consuming");
        expect(page.locator("#lag-total")).hasText("0");

        // Markup in a stored profile and in a dead letter is shown as text, never run.
        UserEvent markupUser = event("Markup", MARKUP);
        produce(USER_TOPIC, List.of(record(markupUser.userId().toString(), UserEventJson.write(markupUser)),
                record("console-hostile", ("<img src=x onerror=alert('dead')>" + MARKUP).getBytes(StandardCharsets.UTF_8))));
        expect(page.locator("#latest")).containsText("Markup " + MARKUP);

        // Records an earlier version refused for a rule since relaxed, filtered by their reason, replayed and stored.
        UserEvent first = event("Replayed", "One");
        UserEvent second = event("Replayed", "Two");
        produceDeadLetter(first, 1_000_001L);
        produceDeadLetter(second, 1_000_002L);
        page.locator("#dlq-reason").selectOption(RejectionReason.INVALID_PHONE.wireName());
        expect(page.locator("#dead-letters")).containsText(second.userId().toString());
        expect(page.locator("#dead-letters tr")).hasCount(2);
        assertThat(page.locator("#dead-letters tr").all()).allSatisfy(row -> assertThat(row.locator("td").nth(1).textContent())
                        .isEqualTo(RejectionReason.INVALID_PHONE.wireName()));
        page.locator("#dlq-replay").click();
        expect(page.locator("#dlq-replay-result")).containsText("finished: 2 re-published");
        expect(page.locator("#latest")).containsText("Replayed One");
        expect(page.locator("#latest")).containsText("Replayed Two");
        assertThat(get(processor.url() + "/users/" + first.userId())).contains("\"lastName\":\"One\"");

        page.locator("#dlq-reason").selectOption(RejectionReason.MALFORMED_JSON.wireName());
        Locator hostile = page.locator("#dead-letters tr").filter(new Locator.FilterOptions().setHasText("console-hostile"));
        expect(hostile.locator("td.value")).containsText("<img src=x onerror=alert('dead')>" + MARKUP);
        assertThat(page.locator("#latest").innerHTML()).contains("&lt;script&gt;");
        assertThat(page.locator("img[src=x]").count()).isZero();
        assertThat(dialogs).as("alerts run by markup in the data").isEmpty();

        page.locator("#dlq-reason").selectOption("");
        page.locator("#trigger-profiles").fill("3000");
        page.locator("#trigger-rate").fill("300");
        page.locator("#trigger").click();
        expect(page.locator("#rate-stored-postgresql")).hasText(positive);
        Path screenshot = Path.of(System.getProperty("e2e.screenshot"));
        Files.createDirectories(screenshot.getParent());
        page.screenshot(new Page.ScreenshotOptions().setPath(screenshot).setFullPage(true));
    }

    private static LocatorAssertions expect(Locator locator) {
        PlaywrightAssertions.setDefaultAssertionTimeout(WAIT.toMillis());
        return PlaywrightAssertions.assertThat(locator);
    }

    private static UserEvent event(String firstName, String lastName) {
        return new UserEvent(UserEvent.CURRENT_SCHEMA_VERSION, UUID.randomUUID(), "generator", Instant.now(),
                UUID.randomUUID(), "Ms", firstName, lastName, "female", "console." + UUID.randomUUID() + "@example.com",
                "+33 1 23 45 67 89", null, LocalDate.of(1985, 2, 3), "1 Rue Test", "Lyon", null, "France", "69001",
                "console" + lastName.length(), Instant.parse("2020-01-01T00:00:00Z"), null, "FR");
    }

    /** A dead letter as an earlier processor wrote it, for a phone format it refused and this one accepts. */
    private static void produceDeadLetter(UserEvent event, long sourceOffset) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.REASON, utf8(RejectionReason.INVALID_PHONE.wireName()));
        headers.add(DeadLetterHeaders.FIELD, utf8("phone"));
        headers.add(DeadLetterHeaders.MESSAGE, utf8("phone: letters are not allowed (an earlier rule)"));
        headers.add(DeadLetterHeaders.EVENT_ID, utf8(event.eventId().toString()));
        headers.add(DeadLetterHeaders.SOURCE_TOPIC, utf8(USER_TOPIC));
        headers.add(DeadLetterHeaders.SOURCE_PARTITION, utf8("0"));
        headers.add(DeadLetterHeaders.SOURCE_OFFSET, utf8(Long.toString(sourceOffset)));
        headers.add(DeadLetterHeaders.REJECTED_AT, utf8(Instant.now().toString()));
        produce(DEAD_LETTER_TOPIC, List.of(new ProducerRecord<>(DEAD_LETTER_TOPIC, null,
                utf8(event.userId().toString()), UserEventJson.write(event), headers)));
    }

    private static ProducerRecord<byte[], byte[]> record(String key, byte[] value) {
        return new ProducerRecord<>(USER_TOPIC, utf8(key), value);
    }

    private static void produce(String topic, List<ProducerRecord<byte[], byte[]>> records)
            throws InterruptedException, ExecutionException {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty("kafka.bootstrap.servers"),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers())).get();
            }
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        return response.body();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Debian's Chromium; CI installs it. */
    private static Path chromium() {
        return Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome").map(Path::of)
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("The console test needs Chromium: apt-get install chromium"));
    }
}
