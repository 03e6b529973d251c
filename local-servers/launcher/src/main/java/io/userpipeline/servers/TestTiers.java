package io.userpipeline.servers;

/**
 * The JUnit tags of the build's two test tiers. A test that needs a real server (Kafka, Cassandra, PostgreSQL) is
 * tagged {@link #SERVERS}; every other test is the fast tier, which runs without starting any server:
 * {@code ./mvnw test -DexcludedGroups=servers -Dtest.local-servers=}.
 */
public final class TestTiers {

    /** Tests against real servers, which the launcher starts for the test JVM. */
    public static final String SERVERS = "servers";

    private TestTiers() {
    }
}
