package io.userpipeline.servers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void saysWhichPortIsTakenAndHowToFindTheHolder() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> FreePorts.requireFree(port, "Kafka broker"))
                    .isInstanceOf(ServerStartException.class)
                    .hasMessageContaining("Port " + port + " (Kafka broker) is already in use")
                    .hasMessageContaining("ss -ltnp");
        }
    }
}
