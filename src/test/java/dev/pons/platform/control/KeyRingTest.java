package dev.pons.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyRingTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw/Ti6MKXY4uc=";
    static final String ROW = "webhook_target.secret_sealed/whk_1";

    final String oldKey = SecretBox.newKeyBase64();
    final String newKey = SecretBox.newKeyBase64();

    @Test
    void aBareKeyIsTheRingOfOneKeyNamedDefault() {
        KeyRing ring = KeyRing.parse(oldKey);
        assertEquals("default", ring.currentId());
        String sealed = ring.seal(SECRET, ROW);
        assertTrue(sealed.startsWith("v2:default:"), sealed);
        assertEquals(SECRET, ring.open(sealed, ROW));
        assertTrue(ring.isCurrent(sealed));
    }

    @Test
    void theFirstKeySealsAndEveryKeyOpens() {
        String sealedBefore = KeyRing.parse(oldKey).seal(SECRET, ROW);
        KeyRing rotated = KeyRing.parse(" 2027-01:" + newKey + " , default:" + oldKey + " ");
        assertEquals(List.of("2027-01", "default"), rotated.ids());
        assertEquals(SECRET, rotated.open(sealedBefore, ROW));
        assertFalse(rotated.isCurrent(sealedBefore), "sealed with an older key: a re-seal renews it");
        String sealedNow = rotated.seal(SECRET, ROW);
        assertTrue(sealedNow.startsWith("v2:2027-01:"), sealedNow);
        assertTrue(rotated.isCurrent(sealedNow));
        assertEquals(SECRET, KeyRing.parse("2027-01:" + newKey).open(sealedNow, ROW), "the old key can go after a re-seal");
    }

    @Test
    void valuesOfTheFirstFormOpenWithWhicheverKeySealedThem() {
        String firstForm = new SecretBox(SecretBox.parseKey(oldKey)).seal(SECRET);
        assertEquals(SECRET, KeyRing.parse(oldKey).open(firstForm, ROW));
        KeyRing rotated = KeyRing.parse("next:" + newKey + ",default:" + oldKey);
        assertEquals(SECRET, rotated.open(firstForm, ROW));
        assertFalse(rotated.isCurrent(firstForm));
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> KeyRing.parse("next:" + newKey + ",other:" + SecretBox.newKeyBase64()).open(firstForm, ROW));
        assertTrue(none.getMessage().contains("none of the keys next, other"), none.getMessage());
    }

    @Test
    void aValueOpensOnlyInItsOwnRowAndColumn() {
        KeyRing ring = KeyRing.parse(oldKey);
        String sealed = ring.seal(SECRET, ROW);
        for (String elsewhere : List.of("webhook_target.secret_sealed/whk_2", "webhook_target.previous_secret_sealed/whk_1",
                "phone_number.access_token_sealed/whk_1")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ring.open(sealed, elsewhere));
            assertRevealsNothing(e);
        }
    }

    @Test
    void aKeyTheRingDoesNotHoldIsNamedAndTheKeysAreNot() {
        String sealed = KeyRing.parse("gone:" + oldKey).seal(SECRET, ROW);
        KeyRing ring = KeyRing.parse("current:" + newKey);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ring.open(sealed, ROW));
        assertTrue(e.getMessage().contains("names key gone"), e.getMessage());
        assertTrue(e.getMessage().contains("holds current"), e.getMessage());
        assertRevealsNothing(e);
    }

    @Test
    void aKeyIdCannotBeSwapped() {
        KeyRing ring = KeyRing.parse("a:" + oldKey + ",b:" + oldKey);
        String sealed = ring.seal(SECRET, ROW);
        assertThrows(IllegalStateException.class, () -> ring.open(sealed.replace("v2:a:", "v2:b:"), ROW),
                "the key id is authenticated with the value");
    }

    @Test
    void malformedRingsAreRefusedNamingTheEntryNeverTheKey() {
        String badKey = "c2hvcnQ=";
        for (String configured : List.of("a:" + oldKey + "," + newKey, "a:" + oldKey + ",a:" + newKey,
                "bad id:" + oldKey, "a:" + oldKey + ",b:" + badKey, "", " ")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyRing.parse(configured),
                    configured);
            assertFalse(e.getMessage().contains(oldKey) || e.getMessage().contains(newKey)
                    || e.getMessage().contains(badKey), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyRing.parse("a:" + oldKey + ",a:" + newKey))
                .getMessage().contains("named twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyRing.parse("a:" + oldKey + ",b:" + badKey))
                .getMessage().contains("entry 2 of 2 (id b)"));
    }

    private void assertRevealsNothing(Exception e) {
        for (String secretMaterial : List.of(SECRET, oldKey, newKey)) {
            assertFalse(e.getMessage().contains(secretMaterial), e.getMessage());
        }
    }
}
