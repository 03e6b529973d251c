package io.userpipeline.processor.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.ReadFailureException;

/** Cassandra's transient failures answer 503 with when to try again, the index build said as such. */
class ErrorMappersTest {

    private final ErrorMappers mappers = new ErrorMappers();

    @Test
    void aCountryIndexStillBuildingIsA503ThatSaysSo() throws Exception {
        ReadFailureException building = new ReadFailureException(null, ConsistencyLevel.LOCAL_QUORUM, 0, 1, 1, false,
                Map.of(InetAddress.getByName("10.0.0.7"), ErrorMappers.INDEX_NOT_AVAILABLE));

        Response answer = mappers.cassandraCannotAnswer(building);

        assertThat(answer.getStatus()).isEqualTo(503);
        assertThat(answer.getHeaderString("Retry-After")).isEqualTo("60");
        assertThat(((ErrorMappers.ErrorBody) answer.getEntity()).error()).contains("still building the country index");
    }

    @Test
    void aTimeOutIsA503ToRetrySoon() {
        Response answer = mappers.cassandraCannotAnswer(new DriverTimeoutException("Query timed out after PT10S"));

        assertThat(answer.getStatus()).isEqualTo(503);
        assertThat(answer.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(((ErrorMappers.ErrorBody) answer.getEntity()).error()).contains("Query timed out after PT10S");
    }
}
