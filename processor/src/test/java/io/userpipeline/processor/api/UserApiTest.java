package io.userpipeline.processor.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.TestKafka;
import io.userpipeline.processor.TestUsers;
import io.userpipeline.servers.TestTiers;

/** The query API over HTTP: found, not found, bad input, and the analytics views. */
@QuarkusTest
@Tag(TestTiers.SERVERS)
class UserApiTest {

    static List<UserEvent> users;

    @BeforeEach
    void storeSomeUsersOnce() {
        if (users != null) {
            return;
        }
        users = IntStream.range(0, 5).mapToObj(TestUsers::event).toList();
        TestKafka.produce(TestKafka.USER_TOPIC, users.stream()
                .map(e -> TestKafka.record(e.userId().toString(), UserEventJson.write(e))).toList());
        await().atMost(Duration.ofSeconds(60)).until(() -> users.stream()
                .allMatch(u -> given().get("/users/" + u.userId()).statusCode() == 200));
    }

    @Test
    void findsAUserById() {
        UserEvent user = users.get(2);
        given().get("/users/" + user.userId()).then().statusCode(200)
                .body("userId", equalTo(user.userId().toString()))
                .body("firstName", equalTo("Ayşe"))
                .body("email", equalTo("Ayse.Ozturk2@Example.COM"))
                .body("country", equalTo("Turkey"))
                .body("dateOfBirth", equalTo("1990-05-17"))
                .body("age", equalTo(36));
    }

    @Test
    void saysWhenNoUserHasTheId() {
        UUID unknown = UUID.randomUUID();
        given().get("/users/" + unknown).then().statusCode(404)
                .body("status", equalTo(404))
                .body("error", containsString(unknown.toString()));
    }

    @Test
    void rejectsAnIdThatIsNotAUuid() {
        given().get("/users/not-a-uuid").then().statusCode(400)
                .body("error", containsString("id must be a UUID"));
    }

    @Test
    void listsTheUsersOfACountryByAnyOfItsNames() {
        given().queryParam("country", "Türkiye").get("/users").then().statusCode(200)
                .body("size()", greaterThanOrEqualTo(5))
                .body("userId", hasItem(users.get(0).userId().toString()))
                .body("country", hasItem("Turkey"));
        given().queryParam("country", "Turkey").queryParam("limit", 2).get("/users").then().statusCode(200)
                .body("size()", equalTo(2));
    }

    @Test
    void findsACountryWhateverTheLetterCase() {
        for (String country : List.of("turkey", "TURKEY", "TÜRKIYE")) {
            given().queryParam("country", country).get("/users").then().statusCode(200)
                    .body("userId", hasItem(users.get(0).userId().toString()));
        }
    }

    @Test
    void pagesThroughMoreUsersOfACountryThanTheLargestPage() {
        String country = "Pageland " + UUID.randomUUID().toString().substring(0, 8);
        List<UserEvent> many = IntStream.range(0, 1001).mapToObj(n -> TestUsers.inCountry(TestUsers.event(n), country))
                .toList();
        TestKafka.produce(TestKafka.USER_TOPIC, many.stream()
                .map(e -> TestKafka.record(e.userId().toString(), UserEventJson.write(e))).toList());
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/users/" + many.get(1000).userId()).statusCode() == 200);

        Response first = given().queryParam("country", country).queryParam("limit", 1000).get("/users");
        first.then().statusCode(200).body("size()", equalTo(1000));
        Matcher next = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"").matcher(String.valueOf(first.header("Link")));
        assertThat(next.find()).as("a Link to the next page: %s", first.header("Link")).isTrue();
        Response second = given().urlEncodingEnabled(false).get(next.group(1));
        second.then().statusCode(200).body("size()", equalTo(1));
        assertThat(second.header("Link")).as("no page after the last").isNull();

        List<String> seen = new ArrayList<>(first.jsonPath().getList("userId", String.class));
        seen.addAll(second.jsonPath().getList("userId", String.class));
        assertThat(seen).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(many.stream().map(e -> e.userId().toString()).toList());
    }

    @Test
    void rejectsALimitThatIsNotANumberACountryTooLongAndAPageItDidNotGive() {
        given().queryParam("country", "Turkey").queryParam("limit", "abc").get("/users").then().statusCode(400)
                .body("error", equalTo("limit must be a whole number from 1 to 1000"));
        given().queryParam("country", "x".repeat(101)).get("/users").then().statusCode(400)
                .body("error", equalTo("country must be at most 100 characters"));
        // A request line over the HTTP server's limit (4 KiB) never reaches the resource.
        given().queryParam("country", "x".repeat(70_000)).get("/users").then().statusCode(414);
        for (String forged : List.of("0123abcd", "01", "not-hex")) {
            given().queryParam("country", "Turkey").queryParam("page", forged).get("/users").then().statusCode(400)
                    .body("error", containsString("page is not a token this API gave"));
        }
    }

    @Test
    void rejectsAMissingCountryAndALimitOutOfRange() {
        given().get("/users").then().statusCode(400).body("error", containsString("country is required"));
        given().queryParam("country", "Turkey").queryParam("limit", 0).get("/users").then().statusCode(400)
                .body("error", containsString("limit"));
        given().queryParam("country", "Turkey").queryParam("limit", 5000).get("/users").then().statusCode(400)
                .body("error", containsString("limit"));
    }

    @Test
    void analyticsReflectTheStoredUsersAfterARefresh() {
        given().post("/analytics/refresh").then().statusCode(200)
                .body("refreshedAt", notNullValue())
                .body("users", greaterThanOrEqualTo(5))
                .body("byCountry.Turkey", greaterThanOrEqualTo(5))
                .body("byGender.female", greaterThanOrEqualTo(5))
                .body("byAgeBand.'35-44'", greaterThanOrEqualTo(5))
                .body("registrationsPerDay.'2012-03-04'", greaterThanOrEqualTo(5));
    }

    @Test
    void apiIsDocumentedInOpenApi() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/users/{id}"))
                .body(containsString("/analytics"));
    }
}
