package dev.pons.platform;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.persistence.Entity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.Test;

/**
 * Flyway owns the schema and Hibernate only maps it: this runs the migrations on a fresh database
 * and lets Hibernate validate every entity against the result, so a mapping that drifted from the
 * scripts fails the build instead of the first request.
 */
class SchemaMatchesEntitiesTest {

    static final String H2_URL = "jdbc:h2:mem:schema-check;DB_CLOSE_DELAY=-1";

    @Test
    void migrationsProduceTheSchemaTheEntitiesExpect() throws Exception {
        MigrationDatabases.migrations().dataSource(H2_URL, "sa", "").load().migrate();

        List<Class<?>> entities = entityClasses();
        assertFalse(entities.isEmpty());
        Configuration configuration = new Configuration()
                .setProperty("hibernate.connection.url", H2_URL)
                .setProperty("hibernate.connection.username", "sa")
                .setProperty("hibernate.connection.password", "")
                .setProperty("hibernate.hbm2ddl.auto", "validate");
        entities.forEach(configuration::addAnnotatedClass);
        assertDoesNotThrow(() -> {
            try (SessionFactory ignored = configuration.buildSessionFactory()) {
                // building it is the validation
            }
        });
    }

    static List<Class<?>> entityClasses() throws IOException {
        Path classes = Path.of("target/classes");
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(p -> p.toString().endsWith(".class") && p.toString().contains("/entity/"))
                    .map(p -> classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .map(SchemaMatchesEntitiesTest::load)
                    .filter(c -> c.isAnnotationPresent(Entity.class))
                    .toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
