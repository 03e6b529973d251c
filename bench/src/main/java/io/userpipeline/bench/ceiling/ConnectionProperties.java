package io.userpipeline.bench.ceiling;

import java.util.Map;

/** Reads the servers' connection properties, as {@code io.userpipeline.servers.LocalServers#connectionProperties()} names them. */
final class ConnectionProperties {

    private ConnectionProperties() {
    }

    static String required(Map<String, String> connection, String key) {
        String value = connection.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("No " + key + " among the connection properties " + connection.keySet()
                    + ": start the server with io.userpipeline.servers.LocalServers and pass its connectionProperties()");
        }
        return value;
    }
}
