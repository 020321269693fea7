package dev.pons.incontainer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.concurrent.Callable;

/** A transaction of its own around work that needs its caller's (Transactional.TxType.MANDATORY). */
@ApplicationScoped
public class Transactions {

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public <T> T inNew(Callable<T> work) throws Exception {
        return work.call();
    }
}
