package dev.pons.incontainer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;

import dev.pons.ingest.control.MetaWebhooks;

/** An ingest transaction that goes on after the webhook was processed, as a caller's may. */
@ApplicationScoped
public class Ingest {

    @Inject
    MetaWebhooks webhooks;

    /** Stores and processes the webhook (fan-out included), runs {@code then}, and only then commits. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void receiveThen(byte[] body, Runnable then) {
        webhooks.receiveAll(List.of(body));
        then.run();
    }
}
