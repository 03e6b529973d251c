package io.userpipeline.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports nothing listens on now, so that parallel runs and a developer's own servers do not collide. */
public final class FreePorts {

    private FreePorts() {
    }

    public static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        }
    }

    /** Fails with a clear message when a fixed port is already taken. */
    static int requireFree(int port, String purpose) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new ServerStartException("Port " + port + " (" + purpose + ") is already in use. Stop whatever"
                    + " listens there (`ss -ltnp 'sport = :" + port + "'` shows it) or choose another port.", e);
        }
    }
}
