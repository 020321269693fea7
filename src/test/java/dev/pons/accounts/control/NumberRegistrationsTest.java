package dev.pons.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

import dev.pons.platform.control.SecretBox;

class NumberRegistrationsTest {

    static List<String> problems(String id, String display, String token, boolean operator) {
        return NumberRegistrations.problems(id, display, token, operator, List.of());
    }

    @Test
    void theLongestAcceptedTokenSealsIntoItsColumn() {
        String longest = "~".repeat(NumberRegistrations.MAX_ACCESS_TOKEN);
        assertEquals(List.of(), problems("106540352242922", "+15550783881", longest, false));
        String sealed = new SecretBox(SecretBox.parseKey(SecretBox.newKeyBase64())).seal(longest);
        assertTrue(sealed.length() <= 4000, "access_token_sealed is VARCHAR(4000), sealed " + sealed.length());
    }

    @Test
    void everyValueTheColumnsCannotHoldIsAProblem() {
        assertEquals(List.of(), problems("1".repeat(64), "+" + "1".repeat(39), "EAAG", false));
        assertEquals(1, problems("1".repeat(65), "+15550783881", "EAAG", false).size());
        assertEquals(1, problems("106540352242922", "+" + "1".repeat(40), "EAAG", false).size());
        assertEquals(1, problems("106540352242922", "+15550783881", "E".repeat(2001), false).size());
        assertEquals(1, problems("106540352242922", "+15550783881", "\u00e9".repeat(10), false).size(),
                "a bearer token is ASCII: a multi-byte one could outgrow the sealed column");
    }

    @Test
    void controlCharactersAndSpacesAreRefused() {
        for (String token : List.of("EAAG\u0000", "EAAG\n", "EAAG\t", "EA AG", "EAAG\u007f", "")) {
            assertTrue(problems("1", "+15550783881", token, false).get(0).startsWith("accessToken: "), token);
        }
        assertTrue(problems("1\u0000", "+15550783881", "EAAG", false).get(0).startsWith("phoneNumberId: "));
        assertTrue(problems("1", "+1555\u0007", "EAAG", false).get(0).startsWith("displayPhoneNumber: "));
    }

    @Test
    void aTokenIsRequiredExceptFromTheOperator() {
        assertTrue(problems("1", "+15550783881", null, false).get(0).startsWith("accessToken: is required"));
        assertEquals(List.of(), problems("1", "+15550783881", null, true));
    }

    @Test
    void aFieldOfTheWrongTypeIsReportedOnce() {
        List<String> reported = List.of("accessToken: must be a string");
        assertEquals(List.of(), NumberRegistrations.problems("1", "+15550783881", null, false, reported));
    }
}
