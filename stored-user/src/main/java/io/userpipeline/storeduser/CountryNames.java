package io.userpipeline.storeduser;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One name per country, whatever the producer wrote: "USA", "U.S.A." and "United States of America" are all
 * "United States", and "france" and "FRANCE" are "France". Names not known keep their own spelling, with white
 * space tidied.
 */
public final class CountryNames {

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("us", "United States"), Map.entry("usa", "United States"), Map.entry("u.s.", "United States"),
            Map.entry("u.s.a.", "United States"), Map.entry("united states of america", "United States"),
            Map.entry("america", "United States"),
            Map.entry("uk", "United Kingdom"), Map.entry("u.k.", "United Kingdom"), Map.entry("gb", "United Kingdom"),
            Map.entry("great britain", "United Kingdom"), Map.entry("england", "United Kingdom"),
            Map.entry("deutschland", "Germany"), Map.entry("españa", "Spain"), Map.entry("brasil", "Brazil"),
            Map.entry("türkiye", "Turkey"), Map.entry("turkiye", "Turkey"), Map.entry("méxico", "Mexico"),
            Map.entry("nederland", "Netherlands"), Map.entry("the netherlands", "Netherlands"),
            Map.entry("holland", "Netherlands"), Map.entry("norge", "Norway"), Map.entry("suisse", "Switzerland"),
            Map.entry("schweiz", "Switzerland"), Map.entry("éire", "Ireland"), Map.entry("suomi", "Finland"),
            Map.entry("danmark", "Denmark"), Map.entry("bharat", "India"), Map.entry("nz", "New Zealand"),
            Map.entry("aotearoa", "New Zealand"));

    /**
     * Every country's English name by its lower case, from the JDK's ISO 3166 list. The list can rename a country
     * from one JDK to the next (Turkey became Türkiye), so the aliases come first and pin the names the sources send.
     */
    private static final Map<String, String> NAMES = englishNames();

    private CountryNames() {
    }

    public static String canonical(String country) {
        if (country == null) {
            return null;
        }
        String tidy = country.strip().replaceAll("\\s+", " ");
        String key = tidy.toLowerCase(Locale.ROOT);
        String alias = ALIASES.get(key);
        return alias != null ? alias : NAMES.getOrDefault(key, tidy);
    }

    private static Map<String, String> englishNames() {
        Map<String, String> names = new HashMap<>();
        for (String code : Locale.getISOCountries()) {
            String name = Locale.of("", code).getDisplayCountry(Locale.ENGLISH);
            names.put(name.toLowerCase(Locale.ROOT), name);
        }
        ALIASES.values().forEach(name -> names.put(name.toLowerCase(Locale.ROOT), name));
        return Map.copyOf(names);
    }
}
