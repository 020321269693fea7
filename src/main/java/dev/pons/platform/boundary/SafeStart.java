package dev.pons.platform.boundary;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.interceptor.Interceptor;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.pons.platform.control.RequiredSecrets;

/**
 * Refuses to deploy the application outside the {@code dev} profile while a required secret is missing or
 * public (deploy/README.md, "Production checklist"). A failed deployment validation stops the application
 * before any bean exists: no migration, no listener and no endpoint runs, and readiness never turns UP.
 * Registered in META-INF/services, because a CDI extension is found that way and not by bean discovery.
 */
public class SafeStart implements Extension {

    private static final Logger LOG = Logger.getLogger(SafeStart.class.getName());

    /** Before MicroProfile Config's own validation, which names a missing key too but not a public value. */
    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) AfterDeploymentValidation validation) {
        Config config = ConfigProvider.getConfig(SafeStart.class.getClassLoader());
        Optional<String> profile = config.getOptionalValue("mp.config.profile", String.class);
        if (RequiredSecrets.development(profile)) {
            List<String> inUse = RequiredSecrets.publicInDevelopment(key -> config.getOptionalValue(key, String.class));
            if (!inUse.isEmpty()) {
                LOG.warning(() -> "dev profile: " + String.join(", ", inUse) + " public or generated for development"
                        + " (an encryption key is kept in the database), loopback targets allowed; never expose this"
                        + " server");
            }
            return;
        }
        List<String> problems = RequiredSecrets.problems(profile, key -> config.getOptionalValue(key, String.class));
        if (problems.isEmpty()) {
            return;
        }
        problems.forEach(problem -> LOG.severe("Refusing to start: " + problem));
        validation.addDeploymentProblem(new IllegalStateException("Pons refuses to start outside the dev profile"
                + " with missing or public secrets (" + problems.size() + ", each logged above); deploy/README.md"
                + " lists the settings production needs"));
    }
}
