package dev.pons.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/**
 * The one source of "now" for beans: they inject a {@link Clock} instead of reading the system time,
 * so that tests can hand them a fixed or hand-advanced clock and need not sleep.
 */
@ApplicationScoped
public class Clocks {

    /**
     * Dependent scope (the default), not a normal scope: a normal-scoped bean is reached through a
     * client proxy that subclasses its type, and {@link Clock} is an abstract JDK class the container
     * should not have to subclass. The system clock is immutable, so handing out the same instance to
     * every injection point costs nothing.
     */
    @Produces
    static Clock system() {
        return Clock.systemUTC();
    }
}
