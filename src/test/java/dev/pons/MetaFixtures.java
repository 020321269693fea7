package dev.pons;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * Where the tests, the ITs and the benchmark find Meta's payloads, Graph API answers and the signature
 * test vector: {@code src/test/resources/meta/}, read from the test classpath so that no test depends on
 * the directory Maven was started in.
 */
public final class MetaFixtures {

    public static final Path DIR = locate();

    private MetaFixtures() {
    }

    private static Path locate() {
        URL url = MetaFixtures.class.getResource("/meta/signature-vector.body");
        if (url == null) {
            throw new IllegalStateException("meta/ fixtures are not on the test classpath (src/test/resources/meta)");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
