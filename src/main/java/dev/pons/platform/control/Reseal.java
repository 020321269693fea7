package dev.pons.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;

/**
 * Re-seals every stored secret with the current key of the ring, so that an older key can leave
 * {@code pons.secrets.encryption-key}. Values that do not open are reported, not changed: removing their
 * key would make them unreadable for good.
 */
@ApplicationScoped
public class Reseal {

    private static final Logger LOG = Logger.getLogger(Reseal.class.getName());

    static final int PAGE = 200;
    /** A report names at most this many values that did not open; {@code failed} counts them all. */
    static final int MAX_NAMED = 100;

    /** {@code failures} names the values that did not open (table.column/row id: why). */
    public record Result(String keyId, int resealed, int current, int failed, List<String> failures) {
    }

    @Inject
    @Any
    Instance<SealedColumn> columns;

    @Inject
    SealedRows rows;

    @Inject
    Secrets secrets;

    public Result all() {
        int resealed = 0;
        int current = 0;
        int failed = 0;
        List<String> failures = new ArrayList<>();
        for (SealedColumn column : columns.stream().sorted(Comparator.comparing(SealedColumn::toString)).toList()) {
            String after = "";
            while (after != null) {
                SealedRows.Page page = rows.reseal(column, after, PAGE);
                resealed += page.resealed();
                current += page.current();
                failed += page.failed().size();
                page.failed().stream().limit(Math.max(0, MAX_NAMED - failures.size())).forEach(failures::add);
                after = page.lastId();
            }
        }
        Result result = new Result(secrets.currentKeyId(), resealed, current, failed, failures);
        LOG.info(() -> "re-sealed " + result.resealed() + " secrets with key " + result.keyId() + "; "
                + result.current() + " were current, " + result.failed() + " did not open");
        return result;
    }
}
