package io.userpipeline.processor.validate;

import io.userpipeline.event.RejectionReason;
import io.userpipeline.event.UserEvent;

/**
 * Removes white space at either end of every text (never meaningful; randomuser's Brazilian and Serbian streets
 * end in spaces), makes a text left empty absent (an empty title says no more than none; and Cassandra's rows
 * store an absent text as the empty one), then refuses control characters (PostgreSQL cannot store NUL, and none belongs in a profile)
 * and broken UTF-16 (half a surrogate pair cannot be encoded, so the stores would hold '?').
 */
final class TextCleaner {

    private TextCleaner() {
    }

    static UserEvent clean(UserEvent e) throws RecordRejectedException {
        return new UserEvent(e.schemaVersion(), e.eventId(), clean("source", e.source()), e.ingestedAt(), e.userId(),
                clean("title", e.title()), clean("firstName", e.firstName()), clean("lastName", e.lastName()),
                clean("gender", e.gender()), clean("email", e.email()), clean("phone", e.phone()), clean("cell", e.cell()),
                e.dateOfBirth(), clean("street", e.street()), clean("city", e.city()), clean("state", e.state()),
                clean("country", e.country()), clean("postcode", e.postcode()), clean("username", e.username()),
                e.registeredAt(), clean("pictureUrl", e.pictureUrl()), clean("nationality", e.nationality()));
    }

    static String clean(String field, String raw) throws RecordRejectedException {
        if (raw == null) {
            return null;
        }
        String value = raw.strip();
        if (value.isEmpty()) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new RecordRejectedException(RejectionReason.CONTROL_CHARACTERS, field, field
                        + " contains the control character U+" + String.format("%04X", (int) c) + " at position " + i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new RecordRejectedException(RejectionReason.INVALID_UNICODE, field, field
                        + " contains half of a UTF-16 surrogate pair at position " + i);
            }
        }
        return value;
    }
}
