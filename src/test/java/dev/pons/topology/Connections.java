package dev.pons.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which local process holds the client end of a loopback connection, read from Linux's /proc: a receiver
 * sees the remote port of a request; the instance whose file descriptors include the socket with that
 * local port (towards the receiver's port) is the one that sent it. Works while the connection is open,
 * so the receiver asks while it holds the request.
 */
final class Connections {

    private Connections() {
    }

    /** The instance among {@code instances} that owns the connection 127.0.0.1:clientPort -> :serverPort, or "?". */
    static String owner(int clientPort, int serverPort, List<Topology.Instance> instances) {
        String inode = inode(clientPort, serverPort);
        if (inode == null) {
            return "?";
        }
        String socket = "socket:[" + inode + "]";
        for (Topology.Instance instance : instances) {
            long pid = instance.pid();
            if (pid > 0 && holds(pid, socket)) {
                return instance.name;
            }
        }
        return "?";
    }

    /** The socket inode of the connection whose local port is {@code clientPort} and remote port {@code serverPort}. */
    private static String inode(int clientPort, int serverPort) {
        for (String table : List.of("/proc/net/tcp6", "/proc/net/tcp")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.strip().split("\\s+");
                if (f.length > 9 && port(f[1]) == clientPort && port(f[2]) == serverPort && !"0".equals(f[9])) {
                    return f[9];
                }
            }
        }
        return null;
    }

    private static int port(String address) {
        int colon = address.lastIndexOf(':');
        try {
            return colon < 0 ? -1 : Integer.parseInt(address.substring(colon + 1), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean holds(long pid, String socket) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(socket);
                } catch (IOException | UnsupportedOperationException gone) {
                    return false;
                }
            });
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
