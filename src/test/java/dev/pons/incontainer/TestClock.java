package dev.pons.incontainer;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock moved on by hand, for every bean of a deployment that includes this class (it
 * replaces platform.control.Clocks): backoffs and leases run out without the test sleeping.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class TestClock {

    private volatile long aheadMs;

    public void advance(Duration by) {
        aheadMs += by.toMillis();
    }

    /** Moves the clock to just after {@code epochMillis}, if it is not there yet. */
    public void passBeyond(long epochMillis) {
        long now = System.currentTimeMillis() + aheadMs;
        if (now <= epochMillis) {
            aheadMs += epochMillis - now + 1;
        }
    }

    @Produces
    Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis());
            }

            @Override
            public long millis() {
                return System.currentTimeMillis() + aheadMs;
            }
        };
    }
}
