package io.userpipeline.processor.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.userpipeline.event.RejectionReason;

/** A rejection carries one of the contract's reasons by its wire name, and no other. */
class RejectionTest {

    @Test
    void aRejectionCarriesItsReasonsWireName() {
        assertThat(Rejection.of(RejectionReason.INVALID_EMAIL, "email", "email must be …").reason()).isEqualTo("invalid-email");
    }

    @Test
    void aReasonTheContractDoesNotHaveIsRefused() {
        assertThatThrownBy(() -> new Rejection("invalid_email", "email", "typed by hand"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'invalid_email'");
    }
}
