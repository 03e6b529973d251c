package io.userpipeline.processor.transform;

import java.util.Locale;
import java.util.Map;

/**
 * One name per country, whatever the producer wrote: "USA", "U.S.A." and "United States of America" are all
 * "United States". Names not listed keep their own spelling, with white space tidied.
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

    private CountryNames() {
    }

    public static String canonical(String country) {
        if (country == null) {
            return null;
        }
        String tidy = country.strip().replaceAll("\\s+", " ");
        return ALIASES.getOrDefault(tidy.toLowerCase(Locale.ROOT), tidy);
    }
}
