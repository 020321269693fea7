package dev.pons.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The receiver JVM ({@link ReceiverMain}) seen from the benchmark: starts it, switches its ports'
 * behaviour and collects what arrived.
 */
public final class Receivers implements AutoCloseable {

    /** One request as a receiver saw it; {@code status} is what it answered (0: hung or dropped). */
    public record Arrival(int port, long arrivalMicros, int status, String eventId, String deliveryId, int attempt,
                          long signedAtMillis, String messageId) {
    }

    private final Process process;
    private final int controlPort;
    private final int[] ports;
    private final HttpClient control = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Receivers(Process process, int controlPort, int[] ports) {
        this.process = process;
        this.controlPort = controlPort;
        this.ports = ports;
    }

    /** Starts {@code count} receivers in a JVM of their own, on the same JDK as this one. */
    public static Receivers start(int count) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath;
        try {
            classPath = new File(ReceiverMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate the receiver classes", e);
        }
        List<String> command = List.of(java, "-Dsun.net.httpserver.nodelay=true", "-Xms64m", "-Xmx512m",
                "-XX:+UseParallelGC", "-cp", classPath, ReceiverMain.class.getName(), String.valueOf(count));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        if (ready == null || !ready.startsWith("READY ")) {
            process.destroyForcibly();
            throw new IllegalStateException("receiver JVM did not start: " + ready);
        }
        String[] parts = ready.split(" ");
        int[] ports = Arrays.stream(parts[2].split(",")).mapToInt(Integer::parseInt).toArray();
        return new Receivers(process, Integer.parseInt(parts[1]), ports);
    }

    public int count() {
        return ports.length;
    }

    public int port(int index) {
        return ports[index];
    }

    public String url(int index) {
        return "http://127.0.0.1:" + ports[index] + "/hook";
    }

    public URI uri(int index) {
        return URI.create(url(index));
    }

    public long pid() {
        return process.pid();
    }

    public void mode(String mode, int... indexes) {
        String list = Arrays.stream(indexes).mapToObj(String::valueOf).collect(Collectors.joining(","));
        call("/mode?mode=" + mode + "&ports=" + list);
    }

    /** These ports answer 200, each after {@code delayMs}. */
    public void slow(long delayMs, int... indexes) {
        String list = Arrays.stream(indexes).mapToObj(String::valueOf).collect(Collectors.joining(","));
        call("/mode?mode=slow&delayMs=" + delayMs + "&ports=" + list);
    }

    public void modeRange(String mode, int fromInclusive, int toExclusive) {
        mode(mode, java.util.stream.IntStream.range(fromInclusive, toExclusive).toArray());
    }

    /** Requests answered 200 since the start, all ports. */
    public long answered() {
        return Long.parseLong(call("/count").strip());
    }

    /** Everything that arrived since the last call (and forgets it). */
    public List<Arrival> collect() {
        String text = call("/records");
        List<Arrival> arrivals = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            arrivals.add(new Arrival(Integer.parseInt(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2]), nil(f[3]),
                    nil(f[4]), f[5].equals("-") ? 0 : Integer.parseInt(f[5]), f[6].equals("-") ? 0 : Long.parseLong(f[6]),
                    nil(f[7])));
        }
        return arrivals;
    }

    private static String nil(String s) {
        return s.equals("-") ? null : s;
    }

    private String call(String pathAndQuery) {
        try {
            HttpResponse<String> response = control.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + controlPort + pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("receiver control " + pathAndQuery + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("receiver control " + pathAndQuery + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            call("/quit");
        } catch (RuntimeException ignored) {
            // already gone
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
