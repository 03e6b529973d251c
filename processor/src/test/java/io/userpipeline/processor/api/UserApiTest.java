package io.userpipeline.processor.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.TestKafka;
import io.userpipeline.processor.TestUsers;

/** The query API over HTTP: found, not found, bad input, and the analytics views. */
@QuarkusTest
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
