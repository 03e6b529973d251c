package io.userpipeline.processor;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import io.userpipeline.event.UserEvent;

/** Valid user events and tutorial records with distinct ids, for tests. */
public final class TestUsers {

    private TestUsers() {
    }

    public static UserEvent event(int n) {
        UUID id = UUID.randomUUID();
        return new UserEvent(UserEvent.CURRENT_SCHEMA_VERSION, UUID.randomUUID(), "generator",
                Instant.parse("2026-06-01T12:00:00.123Z").plusSeconds(n), id, "Ms", "  Ayşe ", "Öztürk", "Female",
                "Ayse.Ozturk" + n + "@Example.COM", "(542)-123-4567", "+90 533 765 4321", LocalDate.of(1990, 5, 17),
                n + " Atatürk Cd", "İzmir", "İzmir", n % 2 == 0 ? "Türkiye" : "Turkey", "35220",
                "bluebird" + n, Instant.parse("2012-03-04T10:11:12.456Z"), "https://example.com/p/" + n + ".jpg", "tr");
    }

    /** The event with another country. */
    public static UserEvent inCountry(UserEvent e, String country) {
        return new UserEvent(e.schemaVersion(), e.eventId(), e.source(), e.ingestedAt(), e.userId(), e.title(),
                e.firstName(), e.lastName(), e.gender(), e.email(), e.phone(), e.cell(), e.dateOfBirth(), e.street(),
                e.city(), e.state(), country, e.postcode(), e.username(), e.registeredAt(), e.pictureUrl(),
                e.nationality());
    }

    /** A record as the tutorial producers write it: flat, text but for the API's numeric postcode. */
    public static String tutorialJson(UUID id, int n) {
        return """
                {"id": "%s", "first_name": "Jennie", "last_name": "Nichols", "gender": "female",
                 "address": "%d Valwood Pkwy, Billings, Michigan, USA", "post_code": 63104,
                 "email": "jennie.nichols%d@example.com", "username": "yellowpeacock%d",
                 "dob": "1992-03-08T15:13:16.688Z", "registered_date": "2007-07-09T05:51:59.390Z",
                 "phone": "(272) 790-0888", "picture": "https://randomuser.me/api/portraits/women/%d.jpg"}
                """.formatted(id, n, n, n, n % 100);
    }
}
