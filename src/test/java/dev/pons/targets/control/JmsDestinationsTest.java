package dev.pons.targets.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;
import org.junit.jupiter.api.Test;

class JmsDestinationsTest {

    /** Just enough of a Config: the keys and values given, looked up as MicroProfile Config maps environment names. */
    record MapConfig(Map<String, String> values) implements Config {

        @Override
        public <T> T getValue(String name, Class<T> type) {
            return getOptionalValue(name, type).orElseThrow();
        }

        @Override
        public ConfigValue getConfigValue(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> Optional<T> getOptionalValue(String name, Class<T> type) {
            String value = values.get(name);
            if (value == null) {
                value = values.get(name.replaceAll("[^A-Za-z0-9_]", "_").toUpperCase());
            }
            return Optional.ofNullable(value).map(type::cast);
        }

        @Override
        public Iterable<String> getPropertyNames() {
            return values.keySet();
        }

        @Override
        public Iterable<ConfigSource> getConfigSources() {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> Optional<Converter<T>> getConverter(Class<T> type) {
            return Optional.empty();
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void completeEntriesAreDestinationsAndTheOthersAreLeftOut() {
        Map<String, JmsDestination> read = JmsDestinations.read(new MapConfig(Map.of(
                "pons.jms-targets.orders.connection-factory", "jms/cf",
                "pons.jms-targets.orders.queue", "jms/orders",
                "pons.jms-targets.news.connection-factory", "jms/cf",
                "pons.jms-targets.news.topic", "jms/news",
                "pons.jms-targets.both.connection-factory", "jms/cf",
                "pons.jms-targets.both.queue", "jms/a",
                "pons.jms-targets.both.topic", "jms/b",
                "pons.jms-targets.nofactory.queue", "jms/c",
                "PONS_JMS_TARGETS_BILLING_EU_CONNECTION_FACTORY", "jms/cf",
                "PONS_JMS_TARGETS_BILLING_EU_QUEUE", "jms/billing")));

        assertEquals(Map.of(
                "orders", new JmsDestination("orders", "jms/cf", "jms/orders", false),
                "news", new JmsDestination("news", "jms/cf", "jms/news", true),
                "billing_eu", new JmsDestination("billing_eu", "jms/cf", "jms/billing", false)), read);
    }
}
