package dev.pons.incontainer;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

/** Work run side by side on the server's managed threads, each with its own transactions. */
@ApplicationScoped
public class Threads {

    @Resource
    ManagedExecutorService executor;

    public <T> Future<T> start(Callable<T> work) {
        return executor.submit(work);
    }
}
