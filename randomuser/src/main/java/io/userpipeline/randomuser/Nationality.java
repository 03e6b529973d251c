package io.userpipeline.randomuser;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The API's nationalities and what each one's {@code inject.js} makes of a profile: phone and cell formats, the
 * national id, and where it differs from the default five-digit number, the postcode and title. Each constant
 * reads as its {@code inject.js} does, in the API's own order of draws.
 */
enum Nationality {

    AU("Australia") {
        @Override
        String phone(Draw d) {
            return "0" + d.range(0, 9) + "-" + d.range(0, 9) + d.digits(3) + "-" + d.digits(4);
        }

        @Override
        String cell(Draw d) {
            return "04" + d.digits(2) + "-" + d.digits(3) + "-" + d.digits(3);
        }

        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            return new RandomUserProfile.Id("TFN", d.digits(9));
        }

        @Override
        JsonNode postcode(Draw d, List<String> listed) {
            return Draw.number(d.range(200, 9999));
        }
    },
    BR("Brazil") {
        @Override
        String phone(Draw d) {
            return "(" + d.digits(2) + ") " + d.digits(4) + "-" + d.digits(4);
        }

        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            return new RandomUserProfile.Id("CPF", d.digits(3) + "." + d.digits(3) + "." + d.digits(3) + "-" + d.digits(2));
        }
    },
    CA("Canada") {
        @Override
        String phone(Draw d) {
            return d.letters(1) + d.digits(2) + " " + d.letters(1) + d.digits(2) + "-" + d.digits(4);
        }

        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            String sin = d.digits(9);
            while (!luhnValid(sin)) {
                sin = d.digits(9);
            }
            return new RandomUserProfile.Id("SIN", sin);
        }

        @Override
        JsonNode postcode(Draw d, List<String> listed) {
            return Draw.text(d.letters(1) + d.digits(1) + d.letters(1) + " " + d.digits(1) + d.letters(1) + d.digits(1));
        }
    },
    CH("Switzerland") {
        private static final List<String> PREFIXES = List.of("075", "076", "077", "078", "079");

        @Override
        String title(Draw d, boolean male, List<String> womensTitles) {
            return male ? "Monsieur" : d.item(List.of("Mademoiselle", "Madame"));
        }

        @Override
        JsonNode postcode(Draw d, List<String> listed) {
            return Draw.number(d.range(1000, 9999));
        }

        @Override
        String phone(Draw d) {
            return d.item(PREFIXES) + " " + d.digits(3) + " " + d.digits(2) + " " + d.digits(2);
        }

        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            return new RandomUserProfile.Id("AVS", "756." + d.digits(4) + "." + d.digits(4) + "." + d.digits(2));
        }
    },
    DE("Germany") {
        private static final List<String> PENSION_AREAS = List.of("02", "03", "04", "08", "09", "10", "11", "12", "13",
                "14", "15", "16", "17", "18", "19", "20", "21", "23", "24", "25", "26", "28", "29", "38", "39", "40",
                "42", "43", "44", "45", "46", "47", "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58",
                "59", "60", "61", "62", "63", "64", "65", "66", "67", "68", "69", "70", "71", "72", "73", "74", "75",
                "76", "77", "78", "79", "80", "81", "82", "89");

        @Override
        String phone(Draw d) {
            return "0" + d.digits(3) + "-" + d.digits(7);
        }

        @Override
        String cell(Draw d) {
            return "017" + d.digits(1) + "-" + d.digits(7);
        }

        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            ZonedDateTime dob = born.atZone(ZoneOffset.UTC);
            return new RandomUserProfile.Id("SVNR", d.item(PENSION_AREAS) + " " + pad2(dob.getDayOfMonth())
                    + pad2(dob.getMonthValue()) + javaScriptYear(dob) + " " + last.charAt(0) + " "
                    + pad2(male ? d.range(0, 49) : d.range(50, 99)) + d.range(0, 9));
        }
    },
    DK("Denmark") {
        @Override
        String phone(Draw d) {
            return d.digits(8);
        }

        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            ZonedDateTime dob = born.atZone(ZoneOffset.UTC);
            return new RandomUserProfile.Id("CPR", pad2(dob.getDayOfMonth()) + pad2(dob.getMonthValue())
                    + javaScriptYear(dob) + "-" + d.digits(4));
        }
    },
    ES("Spain") {
        @Override
        String phone(Draw d) {
            return "9" + d.digits(2) + "-" + d.digits(3) + "-" + d.digits(3);
        }

        @Override
        String cell(Draw d) {
            return "6" + d.digits(2) + "-" + d.digits(3) + "-" + d.digits(3);
        }

        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            return new RandomUserProfile.Id("DNI", d.digits(8) + "-" + d.letters(1));
        }
    },
    FI("Finland") {
        @Override
        String phone(Draw d) {
            return "0" + d.range(2, 9) + "-" + d.digits(3) + "-" + d.digits(3);
        }

        @Override
        String cell(Draw d) {
            return "04" + d.range(0, 9) + "-" + d.digits(3) + "-" + d.digits(2) + "-" + d.digits(2);
        }

        /**
         * The inject reads the date of birth from the {@code dob} object instead of its {@code date}, so every
         * date part is NaN and the check character undefined: the real API sends {@code NaNNA124undefined}.
         */
        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            String individual = d.digits(2) + d.item(male ? List.of(1, 3, 5, 7, 9) : List.of(0, 2, 4, 6, 8));
            return new RandomUserProfile.Id("HETU", "NaNNA" + individual + "undefined");
        }
    },
    FR("France") {
        @Override
        String phone(Draw d) {
            return "0" + d.range(1, 5) + "-" + d.digits(2) + "-" + d.digits(2) + "-" + d.digits(2) + "-" + d.digits(2);
        }

        @Override
        String cell(Draw d) {
            return "06-" + d.digits(2) + "-" + d.digits(2) + "-" + d.digits(2) + "-" + d.digits(2);
        }

        /** The month is JavaScript's, counted from 0, as the inject writes it. */
        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            ZonedDateTime dob = born.atZone(ZoneOffset.UTC);
            String body = (male ? "1" : "2") + javaScriptYear(dob) + pad2(dob.getMonthValue() - 1) + d.digits(8);
            return new RandomUserProfile.Id("INSEE", body + " " + pad2((int) (97 - Long.parseLong(body) % 97)));
        }
    },
    GB("United Kingdom") {
        private static final String POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

        @Override
        String phone(Draw d) {
            return switch (d.range(0, 17)) {
                case 0 -> "01" + d.digits(3) + " " + d.digits(5);
                case 1 -> "01" + d.digits(3) + " " + d.digits(6);
                case 2 -> "011" + d.digits(1) + d.digits(3) + " " + d.digits(3) + " " + d.digits(4);
                case 3 -> "01" + d.digits(1) + "1 " + d.digits(3) + " " + d.digits(4);
                case 4 -> "013873 " + d.digits(5);
                case 5 -> "015242 " + d.digits(5);
                case 6 -> "015394 " + d.digits(5);
                case 7 -> "015395 " + d.digits(5);
                case 8 -> "015396 " + d.digits(5);
                case 9 -> "016973 " + d.digits(5);
                case 10 -> "016974 " + d.digits(5);
                case 11 -> "016977 " + d.digits(4);
                case 12 -> "016977 " + d.digits(5);
                case 13 -> "017683 " + d.digits(5);
                case 14 -> "017684 " + d.digits(5);
                case 15 -> "017687 " + d.digits(5);
                case 16 -> "019467 " + d.digits(5);
                default -> "02" + d.digits(1) + " " + d.digits(4) + " " + d.digits(4);
            };
        }

        @Override
        String cell(Draw d) {
            return "07" + d.digits(3) + " " + d.digits(6);
        }

        @Override
        JsonNode postcode(Draw d, List<String> listed) {
            String outward = switch (d.range(0, 5)) {
                case 0 -> d.letters(1) + d.digits(1);
                case 1 -> d.letters(2) + d.digits(1);
                case 2 -> d.letters(1) + d.digits(2);
                case 3 -> d.letters(2) + d.digits(2);
                case 4 -> d.letters(2) + d.digits(1) + d.letters(1);
                default -> d.letters(1) + d.digits(1) + d.letters(1);
            };
            return Draw.text(outward + " " + d.digits(1) + d.chars(POSTCODE_LETTERS, 2));
        }

        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            return new RandomUserProfile.Id("NINO", (d.chars("abceghjklmnoprstwxyz", 1) + d.chars("abceghjklmnprstwxyz", 1)
                    + " " + d.digits(2) + " " + d.digits(2) + " " + d.digits(2) + " " + d.letters(1)).toUpperCase());
        }
    },
    IE("Ireland") {
        @Override
        String phone(Draw d) {
            return "0" + d.range(1, 7) + "1-" + d.digits(3) + "-" + d.digits(4);
        }

        @Override
        String cell(Draw d) {
            return "081-" + d.digits(3) + "-" + d.digits(4);
        }

        /** The inject's test for a 2013-or-later birth reads the {@code dob} object, never true: no trailing 'A'. */
        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            return new RandomUserProfile.Id("PPS", d.digits(7) + "T");
        }
    },
    IN("India") {
        @Override
        String phone(Draw d) {
            return d.item(List.of("7", "8", "9")) + d.digits(9);
        }

        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            return new RandomUserProfile.Id("UIDAI", d.digits(12));
        }
    },
    IR("Iran") {
        @Override
        String phone(Draw d) {
            return "0" + d.digits(2) + "-" + d.digits(8);
        }

        @Override
        String cell(Draw d) {
            return "09" + d.digits(2) + "-" + d.digits(3) + "-" + d.digits(4);
        }
    },
    MX("Mexico") {
        @Override
        String phone(Draw d) {
            return "(6" + d.digits(2) + ") " + d.digits(3) + " " + d.digits(4);
        }

        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            return new RandomUserProfile.Id("NSS", d.digits(2) + " " + d.digits(2) + " " + d.digits(2) + " "
                    + d.digits(4) + " " + d.digits(1));
        }
    },
    NL("Netherlands") {
        @Override
        String phone(Draw d) {
            return "(" + d.digits(3) + ")-" + d.digits(3) + "-" + d.digits(4);
        }

        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            return new RandomUserProfile.Id("BSN", d.digits(8));
        }
    },
    NO("Norway") {
        @Override
        String phone(Draw d) {
            return d.item(List.of("2", "3", "5", "6", "7", "8")) + d.digits(7);
        }

        @Override
        String cell(Draw d) {
            return d.item(List.of("4", "9")) + d.digits(7);
        }

        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            return new RandomUserProfile.Id("FN", norwegianBirthNumber(d, born.atZone(ZoneOffset.UTC), male));
        }

        @Override
        JsonNode postcode(Draw d, List<String> listed) {
            return Draw.text(d.item(listed));
        }
    },
    NZ("New Zealand") {
        @Override
        String phone(Draw d) {
            return "(" + d.digits(3) + ")-" + d.digits(3) + "-" + d.digits(4);
        }
    },
    RS("Serbia") {
        @Override
        String phone(Draw d) {
            return "0" + d.item(List.of("1", "2", "3")) + d.digits(1) + "-" + d.digits(4) + "-" + d.digits(3);
        }

        @Override
        String cell(Draw d) {
            return "06" + d.digits(1) + "-" + d.digits(4) + "-" + d.digits(3);
        }

        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            return new RandomUserProfile.Id("SID", d.digits(9));
        }
    },
    TR("Turkey") {
        @Override
        String phone(Draw d) {
            return "(" + d.digits(3) + ")-" + d.digits(3) + "-" + d.digits(4);
        }
    },
    UA("Ukraine") {
        private static final List<String> MOBILE_PROVIDERS = List.of("66", "67", "68", "96", "97", "98", "99");

        @Override
        String phone(Draw d) {
            return "(0" + d.item(MOBILE_PROVIDERS) + ") " + d.letters(1) + d.digits(2) + "-" + d.digits(4);
        }
    },
    US("United States") {
        private static final Pattern ISSUED_SSN = Pattern.compile(
                "(?!219-09-9999|078-05-1120)(?!666|000|9\\d{2})\\d{3}-(?!00)\\d{2}-(?!0{4})\\d{4}");

        @Override
        String phone(Draw d) {
            return "(" + d.digitsFromTwo(1) + d.digits(2) + ") " + d.digitsFromTwo(1) + d.digits(2) + "-" + d.digits(4);
        }

        @Override
        RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
            String ssn = d.digits(3) + "-" + d.digits(2) + "-" + d.digits(4);
            while (!ISSUED_SSN.matcher(ssn).matches()) {
                ssn = d.digits(3) + "-" + d.digits(2) + "-" + d.digits(4);
            }
            return new RandomUserProfile.Id("SSN", ssn);
        }
    };

    private final String country;

    Nationality(String country) {
        this.country = country;
    }

    /** The API's {@code location.country} for this nationality. */
    String country() {
        return country;
    }

    String title(Draw d, boolean male, List<String> womensTitles) {
        return male ? "Mr" : d.item(womensTitles);
    }

    /** The default of {@code api.js}: a five-digit number. */
    JsonNode postcode(Draw d, List<String> listed) {
        return Draw.number(d.range(10000, 99999));
    }

    abstract String phone(Draw d);

    /** Most nationalities format cell numbers as their phone numbers. */
    String cell(Draw d) {
        return phone(d);
    }

    /** Nationalities without a format send an empty name and a null value. */
    RandomUserProfile.Id id(Draw d, Instant born, boolean male, String last) {
        return new RandomUserProfile.Id("", null);
    }

    private static String pad2(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }

    /** JavaScript's {@code Date.getYear()}: years since 1900, so 85 for 1985 and 101 for 2001. */
    private static int javaScriptYear(ZonedDateTime date) {
        return date.getYear() - 1900;
    }

    /** Canada's SIN check: digits times 1,2,1,2,…, two-digit products summed, total a multiple of 10. */
    private static boolean luhnValid(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int product = (digits.charAt(i) - '0') * (i % 2 == 0 ? 1 : 2);
            sum += product >= 10 ? product / 10 + product % 10 : product;
        }
        return sum % 10 == 0;
    }

    /** Norway's fødselsnummer as the inject makes it: ddMMyy, an individual number by century and sex, two check digits. */
    private static String norwegianBirthNumber(Draw d, ZonedDateTime dob, boolean male) {
        String birthDate = pad2(dob.getDayOfMonth()) + pad2(dob.getMonthValue()) + pad2(dob.getYear() % 100);
        while (true) {
            int individual = dob.getYear() >= 2000 ? 999 - d.range(0, 499) : 499 - d.range(0, 499);
            if ((individual % 2 == 1) != male) {
                individual--;
            }
            String tenDigits = birthDate + (individual < 10 ? "00" : individual < 100 ? "0" : "") + individual;
            String first = checkDigit(new int[] { 3, 7, 6, 1, 8, 9, 4, 5, 2 }, tenDigits);
            String number = tenDigits + first + checkDigit(new int[] { 5, 4, 3, 2, 7, 6, 5, 4, 3, 2 }, tenDigits + first);
            if (number.length() == 11 && !number.endsWith("0")) {
                return number;
            }
        }
    }

    private static String checkDigit(int[] weights, String digits) {
        int sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i] * (digits.charAt(i) - '0');
        }
        return sum % 11 == 0 ? "0" : Integer.toString(11 - sum % 11);
    }
}
