package io.userpipeline.bench.ceiling;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Realistic user rows for the ceilings, with the value lengths of the ingestor's generated profiles: eight
 * countries with their own names, cities, phone and postcode formats. Row {@code n} depends only on {@code n},
 * so every ceiling and every run writes the same users, and distinct indexes give distinct user ids.
 * <p>
 * The loader shares the two cores with the server it measures, so a row must cost next to nothing: the rows
 * cycle through {@value #DISTINCT_PROFILES} profiles made once, each row with its own ids and ingestion time.
 * A million rows held in memory instead would take over a gigabyte.
 */
public final class UserRows {

    /** The rows' ingestion times count from here, one millisecond apart, so that they do not depend on today. */
    private static final Instant FIRST_INGESTION = Instant.parse("2026-01-01T00:00:00Z");
    private static final long EARLIEST_BIRTH = LocalDate.of(1946, 1, 1).toEpochDay();
    private static final long LATEST_BIRTH = LocalDate.of(2006, 12, 31).toEpochDay();
    private static final long LATEST_REGISTRATION = Instant.parse("2025-12-31T00:00:00Z").getEpochSecond();
    private static final long SIXTEEN_YEARS_IN_SECONDS = 16L * 365 * 86_400;
    private static final long SEED = 0x5DEECE66DL;

    /** Email names are the given names without accents, written out here to keep row making cheap. */
    private record Name(String written, String ascii) {
    }

    private record Country(String code, String name, List<Name> maleNames, List<Name> femaleNames,
            List<Name> lastNames, List<String> citiesAndStates, List<String> streets, String phoneFormat,
            String postcodeFormat) {
    }

    private static final List<Country> COUNTRIES = List.of(
            new Country("US", "United States",
                    names("James", "Robert", "Michael", "David", "William", "Thomas"),
                    names("Mary", "Patricia", "Jennifer", "Elizabeth", "Susan", "Jessica"),
                    names("Smith", "Johnson", "Williams", "Brown", "Garcia", "Rodriguez"),
                    List.of("Austin", "Texas", "Denver", "Colorado", "Portland", "Oregon", "Columbus", "Ohio"),
                    List.of("Main St", "Oak Ave", "Pine Rd", "Maple Dr", "Cedar Ln"),
                    "(###) ###-####", "#####"),
            new Country("GB", "United Kingdom",
                    names("Oliver", "George", "Harry", "Jack", "Charlie", "Oscar"),
                    names("Olivia", "Amelia", "Isla", "Emily", "Grace", "Poppy"),
                    names("Taylor", "Davies", "Evans", "Roberts", "Wright", "Edwards"),
                    List.of("Leeds", "West Yorkshire", "Bristol", "Somerset", "Oxford", "Oxfordshire"),
                    List.of("High Street", "Station Road", "Church Lane", "Victoria Road"),
                    "0###-###-####", "@@# #@@"),
            new Country("FR", "France",
                    names("Lucas", "Hugo", "Gabriel", "Raphaël/Raphael", "Léo/Leo", "Jules"),
                    names("Emma", "Chloé/Chloe", "Léa/Lea", "Inès/Ines", "Camille", "Zoé/Zoe"),
                    names("Martin", "Bernard", "Dubois", "Durand", "Leroy", "Moreau"),
                    List.of("Lyon", "Rhône", "Nantes", "Loire-Atlantique", "Toulouse", "Haute-Garonne"),
                    List.of("Rue de la Paix", "Avenue Jean-Jaurès", "Rue Victor-Hugo", "Place du Marché"),
                    "0#-##-##-##-##", "#####"),
            new Country("DE", "Germany",
                    names("Lukas", "Leon", "Jonas", "Felix", "Maximilian", "Elias"),
                    names("Mia", "Hannah", "Sophia", "Lena", "Emilia", "Clara"),
                    names("Müller/Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Hoffmann"),
                    List.of("Köln", "Nordrhein-Westfalen", "Dresden", "Sachsen", "Freiburg", "Baden-Württemberg"),
                    List.of("Hauptstraße", "Schulstraße", "Bahnhofstraße", "Lindenweg"),
                    "0###-#######", "#####"),
            new Country("BR", "Brazil",
                    names("Miguel", "Arthur", "Heitor", "Bernardo", "Théo/Theo", "Lorenzo"),
                    names("Helena", "Alice", "Valentina", "Heloísa/Heloisa", "Júlia/Julia", "Lívia/Livia"),
                    names("Silva", "Santos", "Oliveira", "Rodrigues", "Ferreira", "Pereira"),
                    List.of("Recife", "Pernambuco", "Curitiba", "Paraná", "Salvador", "Bahia"),
                    List.of("Rua Sete de Setembro", "Avenida Brasil", "Rua das Flores", "Rua da Paz"),
                    "(##) ####-####", "########"),
            new Country("IN", "India",
                    names("Aarav", "Vihaan", "Aditya", "Arjun", "Reyansh", "Ishaan"),
                    names("Saanvi", "Aanya", "Aadhya", "Ananya", "Navya", "Myra"),
                    names("Sharma", "Verma", "Patel", "Gupta", "Reddy", "Iyer"),
                    List.of("Pune", "Maharashtra", "Jaipur", "Rajasthan", "Lucknow", "Uttar Pradesh"),
                    List.of("MG Road", "Station Road", "Gandhi Nagar", "Nehru Marg"),
                    "#########", "######"),
            new Country("NO", "Norway",
                    names("Jakob", "Emil", "Filip", "Henrik", "Aksel", "Olav"),
                    names("Nora", "Ingrid", "Frida", "Maja", "Astrid", "Sofie"),
                    names("Hansen", "Johansen", "Olsen", "Kristiansen", "Berg", "Haugen"),
                    List.of("Bergen", "Vestland", "Tromsø", "Troms", "Stavanger", "Rogaland"),
                    List.of("Storgata", "Kirkeveien", "Fjordveien", "Bakkegata"),
                    "########", "####"),
            new Country("MX", "Mexico",
                    names("Santiago", "Sebastián/Sebastian", "Leonardo", "Emiliano", "Miguel Ángel/MiguelAngel", "Iker"),
                    names("Sofía/Sofia", "Regina", "María José/MariaJose", "Ximena", "Camila", "Renata"),
                    names("Hernández/Hernandez", "García/Garcia", "Martínez/Martinez", "López/Lopez", "Ramírez/Ramirez", "Cruz"),
                    List.of("Guadalajara", "Jalisco", "Monterrey", "Nuevo León", "Mérida", "Yucatán"),
                    List.of("Avenida Juárez", "Calle Hidalgo", "Calle Morelos", "Avenida Reforma"),
                    "(6##) ### ####", "#####"));

    private static final List<String> FEMALE_TITLES = List.of("Ms", "Mrs", "Miss");
    private static final List<String> USERNAME_WORDS = List.of("blue", "silver", "happy", "lazy", "brave", "tiny",
            "wild", "quiet");
    private static final List<String> USERNAME_ANIMALS = List.of("tiger", "panda", "koala", "swan", "wolf", "fox",
            "owl", "bear");

    private static final int DISTINCT_PROFILES = 8192;
    private static final UserRow[] PROFILES = IntStream.range(0, DISTINCT_PROFILES)
            .mapToObj(UserRows::profile)
            .toArray(UserRow[]::new);

    private UserRows() {
    }

    /** The row at {@code index}. */
    public static UserRow row(long index) {
        UserRow profile = PROFILES[(int) (index % DISTINCT_PROFILES)];
        SplittableRandom ids = new SplittableRandom(~SEED * 0x9E3779B97F4A7C15L + index);
        return new UserRow(uuid(ids), uuid(ids), profile.source(), FIRST_INGESTION.plusMillis(index), profile.title(),
                profile.firstName(), profile.lastName(), profile.gender(), profile.email(), profile.emailDomain(),
                profile.phone(), profile.cell(), profile.dateOfBirth(), profile.age(), profile.street(), profile.city(),
                profile.state(), profile.country(), profile.postcode(), profile.username(), profile.registeredAt(),
                profile.registrationYear(), profile.pictureUrl(), profile.nationality());
    }

    /** A row without ids: {@link #row} gives each row its own. */
    private static UserRow profile(int index) {
        SplittableRandom random = new SplittableRandom(SEED * 0x9E3779B97F4A7C15L + index);
        Country country = pick(random, COUNTRIES);
        boolean male = random.nextBoolean();
        Name first = pick(random, male ? country.maleNames() : country.femaleNames());
        Name last = pick(random, country.lastNames());
        int city = random.nextInt(country.citiesAndStates().size() / 2);
        LocalDate born = LocalDate.ofEpochDay(random.nextLong(EARLIEST_BIRTH, LATEST_BIRTH));
        long bornSecond = born.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        Instant registered = Instant.ofEpochSecond(random.nextLong(bornSecond + SIXTEEN_YEARS_IN_SECONDS, LATEST_REGISTRATION),
                random.nextInt(1000) * 1_000_000L).truncatedTo(ChronoUnit.MILLIS);
        String email = (first.ascii() + "." + last.ascii()).toLowerCase(Locale.ROOT) + "@example.com";
        int portrait = random.nextInt(100);
        return new UserRow(
                null,
                null,
                "generator",
                FIRST_INGESTION,
                male ? "Mr" : pick(random, FEMALE_TITLES),
                first.written(),
                last.written(),
                male ? "male" : "female",
                email,
                "example.com",
                digits(random, country.phoneFormat()),
                digits(random, country.phoneFormat()),
                born,
                Period.between(born, FIRST_INGESTION.atOffset(ZoneOffset.UTC).toLocalDate()).getYears(),
                random.nextInt(1, 9999) + " " + pick(random, country.streets()),
                country.citiesAndStates().get(2 * city),
                country.citiesAndStates().get(2 * city + 1),
                country.name(),
                fill(random, country.postcodeFormat()),
                pick(random, USERNAME_WORDS) + pick(random, USERNAME_ANIMALS) + random.nextInt(100, 1000),
                registered,
                registered.atOffset(ZoneOffset.UTC).getYear(),
                "https://randomuser.me/api/portraits/" + (male ? "men/" : "women/") + portrait + ".jpg",
                country.code());
    }

    /** {@code "Léa/Lea"} is a name written with an accent and its email spelling; a name without one needs no slash. */
    private static List<Name> names(String... names) {
        return Arrays.stream(names).map(name -> {
            int slash = name.indexOf('/');
            return slash < 0 ? new Name(name, name) : new Name(name.substring(0, slash), name.substring(slash + 1));
        }).toList();
    }

    private static <T> T pick(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** The stored phone: the format's digits only, as the processor keeps them. */
    private static String digits(SplittableRandom random, String format) {
        StringBuilder out = new StringBuilder(format.length());
        for (int i = 0; i < format.length(); i++) {
            if (format.charAt(i) == '#') {
                out.append((char) ('0' + random.nextInt(10)));
            }
        }
        return out.toString();
    }

    /** {@code #} becomes a digit and {@code @} an upper-case letter. */
    private static String fill(SplittableRandom random, String format) {
        StringBuilder out = new StringBuilder(format.length());
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            out.append(switch (c) {
                case '#' -> (char) ('0' + random.nextInt(10));
                case '@' -> (char) ('A' + random.nextInt(26));
                default -> c;
            });
        }
        return out.toString();
    }

    private static UUID uuid(SplittableRandom random) {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least);
    }
}
