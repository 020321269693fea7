package dev.pons.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class LeaseTest {

    @Test
    void aHeldLeaseTravelsAsIdAndExpiry() {
        Lease lease = new Lease("dlv_01abc", 1_764_300_000_123L);
        assertEquals("dlv_01abc 1764300000123", lease.message());
        assertEquals(lease, Lease.parse(lease.message()));
    }

    @Test
    void garbageIsRefusedLoudly() {
        assertThrows(IllegalArgumentException.class, () -> Lease.parse("dlv_01abc soon"));
        assertThrows(IllegalArgumentException.class, () -> Lease.parse("dlv_01abc"), "every delivery travels with its lease");
    }

    @Test
    void oneMessageCarriesTheLeasesOfOneCommitLineByLine() {
        List<Lease> leases = List.of(new Lease("dlv_01a", 1_764_300_000_123L), new Lease("dlv_01b", 1_764_300_000_456L));
        assertEquals("dlv_01a 1764300000123\ndlv_01b 1764300000456", Lease.message(leases));
        assertEquals(leases, Lease.parseAll(Lease.message(leases)));
        assertThrows(IllegalArgumentException.class, () -> Lease.parseAll(" \n"));
    }
}
