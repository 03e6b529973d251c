package io.userpipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.executable.ExecutableValidator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The durations the processor waits by must be positive: zero, given to PostgreSQL as a lock time-out, would wait
 * forever. Checked the way start-up checks a mapping's values, without servers.
 */
class ProcessorConfigBoundsTest {

    private static final ExecutableValidator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator().forExecutables();

    @ParameterizedTest
    @CsvSource({ "Analytics, refreshWait" })
    void aDurationOfZeroIsRefusedAndAMillisecondIsTaken(String group, String setting) throws Exception {
        Class<?> settings = Class.forName(ProcessorConfig.class.getName() + "$" + group);
        Method method = settings.getMethod(setting);
        Object mapping = Proxy.newProxyInstance(settings.getClassLoader(), new Class<?>[] { settings },
                (proxy, called, arguments) -> null);

        assertThat(VALIDATOR.validateReturnValue(mapping, method, Duration.ZERO))
                .extracting(ConstraintViolation::getMessage).singleElement().asString().contains("must be a positive duration");
        assertThat(VALIDATOR.validateReturnValue(mapping, method, Duration.ofMillis(1))).isEmpty();
    }
}
