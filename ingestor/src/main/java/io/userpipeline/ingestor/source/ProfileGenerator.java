package io.userpipeline.ingestor.source;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.text.Normalizer;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.smallrye.mutiny.Multi;

/**
 * Realistic profiles in the randomuser.me shape without a network: twelve nationalities with their own names,
 * cities, phone and postcode formats. Profile {@code n} depends only on the seed and {@code n}, so the same
 * seed replays the same people with the same ids, and successive runs continue the sequence.
 */
public final class ProfileGenerator implements ProfileSource {

    public static final String SOURCE_NAME = "generator";

    private static final Instant EARLIEST_BIRTH = Instant.parse("1946-01-01T00:00:00Z");
    private static final Instant LATEST_BIRTH = Instant.parse("2006-12-31T00:00:00Z");
    private static final Instant LATEST_REGISTRATION = Instant.parse("2026-01-01T00:00:00Z");
    /** The profiles' ages count to a fixed date, not to today, so that a replay gives identical profiles. */
    private static final LocalDate AGE_REFERENCE = LocalDate.of(2026, 1, 1);

    private record Nationality(String code, String country, String[] maleNames, String[] femaleNames,
            String[] lastNames, String[][] citiesAndStates, String[] streets, String phoneFormat, String postcodeFormat) {
    }

    private static final List<Nationality> NATIONALITIES = List.of(
            new Nationality("US", "United States",
                    names("James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Charles"),
                    names("Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen"),
                    names("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Wilson"),
                    cities("Austin", "Texas", "Denver", "Colorado", "Portland", "Oregon", "Columbus", "Ohio", "Tampa", "Florida"),
                    names("Main St", "Oak Ave", "Pine Rd", "Maple Dr", "Cedar Ln", "Elm St", "Park Ave"),
                    "(###) ###-####", "#####"),
            new Nationality("GB", "United Kingdom",
                    names("Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas", "Oscar", "William"),
                    names("Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophia", "Grace", "Mia", "Poppy", "Ella"),
                    names("Taylor", "Davies", "Evans", "Thomas", "Roberts", "Walker", "Wright", "Hughes", "Edwards", "Green"),
                    cities("Leeds", "West Yorkshire", "Bristol", "Somerset", "York", "North Yorkshire", "Oxford", "Oxfordshire"),
                    names("High Street", "Station Road", "Church Lane", "Victoria Road", "Green Lane", "Mill Lane"),
                    "0###-###-####", "@@# #@@"),
            new Nationality("FR", "France",
                    names("Lucas", "Hugo", "Louis", "Gabriel", "Arthur", "Jules", "Raphaël", "Léo", "Adam", "Nathan"),
                    names("Emma", "Jade", "Louise", "Alice", "Chloé", "Léa", "Manon", "Inès", "Camille", "Zoé"),
                    names("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"),
                    cities("Lyon", "Rhône", "Nantes", "Loire-Atlantique", "Lille", "Nord", "Toulouse", "Haute-Garonne"),
                    names("Rue de la Paix", "Avenue Jean-Jaurès", "Rue Victor-Hugo", "Place du Marché", "Rue Pasteur"),
                    "0#-##-##-##-##", "#####"),
            new Nationality("DE", "Germany",
                    names("Lukas", "Leon", "Finn", "Jonas", "Paul", "Felix", "Maximilian", "Elias", "Ben", "Noah"),
                    names("Mia", "Emma", "Hannah", "Sophia", "Lena", "Marie", "Lea", "Anna", "Emilia", "Clara"),
                    names("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann"),
                    cities("Köln", "Nordrhein-Westfalen", "Dresden", "Sachsen", "Freiburg", "Baden-Württemberg", "Kiel", "Schleswig-Holstein"),
                    names("Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Lindenweg", "Bergstraße"),
                    "0###-#######", "#####"),
            new Nationality("ES", "Spain",
                    names("Hugo", "Martín", "Lucas", "Mateo", "Leo", "Daniel", "Alejandro", "Pablo", "Manuel", "Álvaro"),
                    names("Lucía", "Sofía", "Martina", "María", "Julia", "Paula", "Valeria", "Emma", "Daniela", "Carla"),
                    names("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz"),
                    cities("Valencia", "Comunidad Valenciana", "Sevilla", "Andalucía", "Bilbao", "País Vasco", "Zaragoza", "Aragón"),
                    names("Calle Mayor", "Calle del Sol", "Avenida de América", "Calle de Alcalá", "Paseo del Prado"),
                    "9##-###-###", "#####"),
            new Nationality("BR", "Brazil",
                    names("Miguel", "Arthur", "Heitor", "Bernardo", "Davi", "Théo", "Gabriel", "Pedro", "Samuel", "Lorenzo"),
                    names("Helena", "Alice", "Laura", "Maria", "Valentina", "Heloísa", "Manuela", "Júlia", "Sophia", "Lívia"),
                    names("Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes"),
                    cities("Recife", "Pernambuco", "Curitiba", "Paraná", "Salvador", "Bahia", "Manaus", "Amazonas"),
                    names("Rua Sete de Setembro", "Rua São Paulo", "Avenida Brasil", "Rua das Flores", "Rua da Paz"),
                    "(##) ####-####", "########"),
            new Nationality("TR", "Turkey",
                    names("Yusuf", "Eymen", "Ömer", "Mustafa", "Ahmet", "Emir", "Kerem", "Mehmet", "Ali", "Burak"),
                    names("Zeynep", "Elif", "Defne", "Ecrin", "Azra", "Ayşe", "Nehir", "Asel", "Eylül", "Miray"),
                    names("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir"),
                    cities("İzmir", "İzmir", "Bursa", "Bursa", "Antalya", "Antalya", "Trabzon", "Trabzon"),
                    names("Atatürk Cd", "Cumhuriyet Cd", "İstiklal Cd", "Bağdat Cd", "Anafartalar Cd"),
                    "(###)-###-####", "#####"),
            new Nationality("IN", "India",
                    names("Aarav", "Vihaan", "Aditya", "Arjun", "Sai", "Reyansh", "Krishna", "Ishaan", "Rohan", "Kabir"),
                    names("Saanvi", "Aanya", "Aadhya", "Ananya", "Diya", "Pari", "Anika", "Navya", "Myra", "Sara"),
                    names("Sharma", "Verma", "Patel", "Gupta", "Reddy", "Nair", "Iyer", "Singh", "Kumar", "Das"),
                    cities("Pune", "Maharashtra", "Jaipur", "Rajasthan", "Kochi", "Kerala", "Lucknow", "Uttar Pradesh"),
                    names("MG Road", "Station Road", "Gandhi Nagar", "Nehru Marg", "Park Street"),
                    "#########", "######"),
            new Nationality("AU", "Australia",
                    names("Oliver", "Noah", "Jack", "William", "Leo", "Lucas", "Thomas", "Henry", "Charlie", "James"),
                    names("Charlotte", "Olivia", "Amelia", "Isla", "Mia", "Ava", "Grace", "Willow", "Harper", "Chloe"),
                    names("Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Johnson", "White", "Martin", "Anderson"),
                    cities("Perth", "Western Australia", "Hobart", "Tasmania", "Cairns", "Queensland", "Geelong", "Victoria"),
                    names("George St", "King St", "Queen St", "Beach Rd", "Church St"),
                    "0#-####-####", "####"),
            new Nationality("NL", "Netherlands",
                    names("Noah", "Daan", "Sem", "Lucas", "Levi", "Finn", "Milan", "Jesse", "Bram", "Thijs"),
                    names("Emma", "Julia", "Mila", "Tess", "Sophie", "Zoë", "Sara", "Nora", "Yara", "Eva"),
                    names("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer"),
                    cities("Utrecht", "Utrecht", "Groningen", "Groningen", "Haarlem", "Noord-Holland", "Eindhoven", "Noord-Brabant"),
                    names("Kerkstraat", "Schoolstraat", "Molenweg", "Dorpsstraat", "Stationsweg"),
                    "(0###) ######", "#### @@"),
            new Nationality("NO", "Norway",
                    names("Jakob", "Emil", "Noah", "Oliver", "Filip", "William", "Lucas", "Henrik", "Aksel", "Olav"),
                    names("Nora", "Emma", "Olivia", "Ella", "Sofie", "Leah", "Ingrid", "Frida", "Maja", "Astrid"),
                    names("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Berg", "Haugen"),
                    cities("Bergen", "Vestland", "Tromsø", "Troms", "Stavanger", "Rogaland", "Bodø", "Nordland"),
                    names("Storgata", "Kirkeveien", "Skolegata", "Fjordveien", "Bakkegata"),
                    "########", "####"),
            new Nationality("MX", "Mexico",
                    names("Santiago", "Mateo", "Sebastián", "Leonardo", "Emiliano", "Diego", "Miguel Ángel", "Daniel", "Iker", "Alexander"),
                    names("Sofía", "Valentina", "Regina", "María José", "Ximena", "Camila", "María Fernanda", "Valeria", "Renata", "Victoria"),
                    names("Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez", "Ramírez", "Cruz"),
                    cities("Guadalajara", "Jalisco", "Monterrey", "Nuevo León", "Puebla", "Puebla", "Mérida", "Yucatán"),
                    names("Avenida Juárez", "Calle Hidalgo", "Calle Morelos", "Avenida Reforma", "Calle Zaragoza"),
                    "(6##) ### ####", "#####"));

    private static final String[] TITLES_MALE = { "Mr" };
    private static final String[] TITLES_FEMALE = { "Ms", "Mrs", "Miss" };
    private static final String[] USERNAME_WORDS = { "blue", "silver", "happy", "lazy", "brave", "tiny", "wild", "quiet",
            "crazy", "golden" };
    private static final String[] USERNAME_ANIMALS = { "tiger", "panda", "koala", "swan", "wolf", "fox", "owl", "bear",
            "goose", "frog", "rabbit", "lion" };

    /** Profiles made per request: enough to make the hand-over between threads negligible. */
    private static final int PAGE_SIZE = 512;

    private final long seed;
    private final AtomicLong nextIndex = new AtomicLong();

    public ProfileGenerator(long seed) {
        this.seed = seed;
    }

    @Override
    public String name() {
        return SOURCE_NAME;
    }

    @Override
    public Multi<List<RandomUserProfile>> fetch(int count) {
        long first = nextIndex.getAndAdd(count);
        int pages = (count + PAGE_SIZE - 1) / PAGE_SIZE;
        return Multi.createFrom().range(0, pages).map(page -> {
            long from = first + (long) page * PAGE_SIZE;
            long to = Math.min(first + count, from + PAGE_SIZE);
            List<RandomUserProfile> profiles = new ArrayList<>((int) (to - from));
            for (long index = from; index < to; index++) {
                profiles.add(profile(index));
            }
            return profiles;
        });
    }

    /** The profile at {@code index} of this seed's sequence. */
    public RandomUserProfile profile(long index) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        Nationality nat = NATIONALITIES.get(random.nextInt(NATIONALITIES.size()));
        boolean male = random.nextBoolean();
        String first = pick(random, male ? nat.maleNames() : nat.femaleNames());
        String last = pick(random, nat.lastNames());
        String[] cityAndState = nat.citiesAndStates()[random.nextInt(nat.citiesAndStates().length)];
        Instant born = between(random, EARLIEST_BIRTH, LATEST_BIRTH);
        Instant registered = between(random, born.plusSeconds(16L * 365 * 86_400), LATEST_REGISTRATION);
        UUID uuid = randomUuid(random);
        String username = pick(random, USERNAME_WORDS) + pick(random, USERNAME_ANIMALS) + random.nextInt(100, 1000);
        int portrait = random.nextInt(100);
        return new RandomUserProfile(
                male ? "male" : "female",
                new RandomUserProfile.Name(pick(random, male ? TITLES_MALE : TITLES_FEMALE), first, last),
                new RandomUserProfile.Location(
                        new RandomUserProfile.Street(Integer.toString(random.nextInt(1, 9999)), pick(random, nat.streets())),
                        cityAndState[0], cityAndState[1], nat.country(), fill(random, nat.postcodeFormat())),
                ascii(first) + "." + ascii(last) + "@example.com",
                new RandomUserProfile.Login(uuid.toString(), username),
                new RandomUserProfile.DateAndAge(born.toString(), age(born, AGE_REFERENCE)),
                new RandomUserProfile.DateAndAge(registered.toString(), age(registered, AGE_REFERENCE)),
                fill(random, nat.phoneFormat()),
                fill(random, nat.phoneFormat()),
                new RandomUserProfile.Id(nat.code() + "ID", fill(random, "###-##-####")),
                new RandomUserProfile.Picture(
                        "https://randomuser.me/api/portraits/" + (male ? "men/" : "women/") + portrait + ".jpg",
                        "https://randomuser.me/api/portraits/med/" + (male ? "men/" : "women/") + portrait + ".jpg",
                        "https://randomuser.me/api/portraits/thumb/" + (male ? "men/" : "women/") + portrait + ".jpg"),
                nat.code());
    }

    private static String[] names(String... names) {
        return names;
    }

    private static String[][] cities(String... cityStatePairs) {
        String[][] pairs = new String[cityStatePairs.length / 2][];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = new String[] { cityStatePairs[2 * i], cityStatePairs[2 * i + 1] };
        }
        return pairs;
    }

    private static String pick(SplittableRandom random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static Instant between(SplittableRandom random, Instant from, Instant to) {
        long seconds = random.nextLong(from.getEpochSecond(), Math.max(from.getEpochSecond() + 1, to.getEpochSecond()));
        return Instant.ofEpochSecond(seconds, random.nextInt(1000) * 1_000_000L);
    }

    private static int age(Instant at, LocalDate reference) {
        return Period.between(at.atOffset(ZoneOffset.UTC).toLocalDate(), reference).getYears();
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

    private static UUID randomUuid(SplittableRandom random) {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least);
    }

    /** Email local parts in the randomuser style: lower-case, no accents, no spaces. */
    private static String ascii(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .replace("ı", "i")
                .replace(" ", "")
                .toLowerCase(Locale.ROOT);
    }
}
