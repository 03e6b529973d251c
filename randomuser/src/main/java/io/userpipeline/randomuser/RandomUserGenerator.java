package io.userpipeline.randomuser;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Profiles as the real randomuser.me API 1.4 makes them, without a network: its 21 nationalities, each with the
 * formats of its generator ({@code RandomAPI/Randomuser.me-Node}, {@code api/1.4/api.js} and the nationalities'
 * {@code inject.js}) and samples of its name, street, city and state lists ({@link Lists}). So: numeric postcodes
 * for most nationalities and text for CA, GB and NO; Canadian and Ukrainian phones with letters; names in
 * Persian script (IR) and Serbian diacritics; e-mails transliterated from the names, dots and apostrophes
 * included ({@code hansd..keller@example.com}); {@code id.value} null for IR, NZ, TR and UA; streets with
 * trailing spaces (BR, RS); cities with commas (DK, NL).
 * <p>
 * Profile {@code n} depends only on the seed and {@code n}, so the same seed replays the same people with the
 * same ids, and a caller can continue a sequence where it left off.
 */
public final class RandomUserGenerator {

    /** The API's {@code constantTime}: the end of its ranges of dates of birth and registration. */
    private static final long CONSTANT_TIME_MILLIS = 1_653_344_189_000L;
    private static final long EARLIEST_BIRTH_MILLIS = -800_000_000_000L;
    private static final long LATEST_BIRTH_MILLIS = CONSTANT_TIME_MILLIS - 86_400_000L * 365 * 21;
    private static final long EARLIEST_REGISTRATION_MILLIS = 1_016_688_461_000L;
    /**
     * The API computes ages on the day of the request; here they count to a fixed date, so that a replay gives
     * identical profiles.
     */
    private static final LocalDate AGE_REFERENCE = LocalDate.of(2026, 1, 1);
    /** JavaScript's {@code Date.toISOString()}: always milliseconds, always UTC. */
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String PORTRAITS = "https://randomuser.me/api/portraits/";

    /** Read once: a server answering every request with a new generator must not parse them each time. */
    private static final Lists LISTS = Lists.load();

    private final long seed;

    public RandomUserGenerator(long seed) {
        this.seed = seed;
    }

    /** The {@code count} profiles from {@code index} on. */
    public List<RandomUserProfile> profiles(long index, int count) {
        List<RandomUserProfile> profiles = new ArrayList<>(count);
        for (long i = index; i < index + count; i++) {
            profiles.add(profile(i));
        }
        return profiles;
    }

    /** The profile at {@code index} of this seed's sequence. */
    public RandomUserProfile profile(long index) {
        Draw draw = new Draw(new SplittableRandom(mix(seed * 0xBF58476D1CE4E5B9L + mix(index))));
        Nationality nat = Nationality.values()[draw.range(0, Nationality.values().length - 1)];
        Lists.OfNationality data = LISTS.of(nat);
        boolean male = draw.random().nextBoolean();
        String gender = male ? "male" : "female";

        int first = draw.index(male ? data.maleFirst() : data.femaleFirst());
        int last = draw.index(data.last());
        String firstName = (male ? data.maleFirst() : data.femaleFirst()).get(first);
        String lastName = data.last().get(last);
        String title = nat.title(draw, male, LISTS.titles());

        RandomUserProfile.Street street = new RandomUserProfile.Street(Draw.number(draw.range(1, 9999)),
                draw.item(data.street()));
        String city = draw.item(data.cities());
        String state = draw.item(data.states());
        String email = (male ? data.maleFirstEmail() : data.femaleFirstEmail()).get(first) + "."
                + data.lastEmail().get(last) + "@example.com";
        String username = draw.item(LISTS.usernameFirstWords()) + draw.item(LISTS.usernameSecondWords())
                + draw.range(100, 999);
        UUID uuid = draw.uuid();
        Instant born = Instant.ofEpochMilli(draw.random().nextLong(EARLIEST_BIRTH_MILLIS, LATEST_BIRTH_MILLIS + 1));
        Instant registered = Instant.ofEpochMilli(
                draw.random().nextLong(EARLIEST_REGISTRATION_MILLIS, CONSTANT_TIME_MILLIS + 1));
        int portrait = male ? draw.range(0, 99) : draw.range(0, 96);
        String portraitPath = (male ? "men/" : "women/") + portrait + ".jpg";

        JsonNode postcode = nat.postcode(draw, data.postCodes());
        String phone = nat.phone(draw);
        String cell = nat.cell(draw);
        RandomUserProfile.Id id = nat.id(draw, born, male, lastName);

        return new RandomUserProfile(
                gender,
                new RandomUserProfile.Name(title, firstName, lastName),
                new RandomUserProfile.Location(street, city, state, nat.country(), postcode),
                email,
                new RandomUserProfile.Login(uuid.toString(), username),
                new RandomUserProfile.DateAndAge(ISO_MILLIS.format(born), age(born)),
                new RandomUserProfile.DateAndAge(ISO_MILLIS.format(registered), age(registered)),
                phone,
                cell,
                id,
                new RandomUserProfile.Picture(PORTRAITS + portraitPath, PORTRAITS + "med/" + portraitPath,
                        PORTRAITS + "thumb/" + portraitPath),
                nat.name());
    }

    /**
     * SplitMix64's finaliser. SplittableRandom steps its state by a fixed gamma, so plain arithmetic seeds such as
     * {@code seed * gamma + index} make one seed's sequences the shifted sequences of another's; mixed seeds do not.
     */
    private static long mix(long value) {
        long z = (value ^ (value >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int age(Instant at) {
        return Period.between(at.atOffset(ZoneOffset.UTC).toLocalDate(), AGE_REFERENCE).getYears();
    }
}
