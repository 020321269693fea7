package dev.pons.platform.control;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Lets one piece of work per key run at a time on this instance; a second caller for the same key is
 * refused at once with {@code busy} instead of waiting (and holding a request thread) behind the first.
 */
public final class OneAtATime {

    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public <T> T run(String key, Supplier<T> work, Supplier<DomainException> busy) {
        if (!running.add(key)) {
            throw busy.get();
        }
        try {
            return work.get();
        } finally {
            running.remove(key);
        }
    }
}
