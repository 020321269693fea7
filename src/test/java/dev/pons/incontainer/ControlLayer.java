package dev.pons.incontainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.FileAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The micro-deployment of the in-container tests: the application's control and entity classes with
 * its persistence unit, configuration defaults, migrations and libraries, taken from the WAR the build
 * just packaged, without what answers the outside world or runs by itself. No JAX-RS resource or message
 * listener, and no sweeper: nothing but the test moves a delivery, so every row it reads is its own doing.
 */
final class ControlLayer {

    /** The exploded WAR (target/pons); the build passes it (pom.xml, failsafe). */
    private static final Path WAR = Path.of(System.getProperty("pons.arquillian.war", "target/pons"));

    private ControlLayer() {
    }

    /** The control layer with the test class and the helpers every test uses; {@code extra} adds more. */
    static WebArchive deployment(Class<?> test, Class<?>... extra) {
        WebArchive war = ShrinkWrap.create(WebArchive.class, test.getSimpleName() + ".war")
                .addClasses(test, Fixtures.class, Fixtures.Target.class, Fixtures.JmsTarget.class, Rows.class, Threads.class, Transactions.class,
                        DeliveryMessages.class)
                .addClasses(extra)
                .addAsWebInfResource(WAR.resolve("WEB-INF/beans.xml").toFile(), "beans.xml");
        Path classes = WAR.resolve("WEB-INF/classes");
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(Files::isRegularFile)
                    .filter(file -> belongs(classes.relativize(file).toString().replace('\\', '/')))
                    .forEach(file -> war.add(new FileAsset(file.toFile()),
                            "WEB-INF/classes/" + classes.relativize(file).toString().replace('\\', '/')));
        } catch (IOException e) {
            throw new UncheckedIOException("the packaged WAR is missing; run the tests through mvn verify", e);
        }
        try (Stream<Path> jars = Files.list(WAR.resolve("WEB-INF/lib"))) {
            jars.forEach(jar -> war.addAsLibrary(jar.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return war;
    }

    private static boolean belongs(String path) {
        return !path.contains("/boundary/")
                && !path.equals("dev/pons/ApiApplication.class")
                // Each sweeps on a timer of its own: it would hand out the tests' rows behind their backs.
                && !path.startsWith("dev/pons/delivery/control/Sweeper")
                && !path.startsWith("dev/pons/ingest/control/IngestSweeper");
    }
}
