package dev.pons.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.pons.accounts.control.NumberProof.Outcome;
import dev.pons.accounts.control.NumberProof.Proof;

class NumberProofTest {

    static final String ID = "106540352242922";
    static final String TOKEN = "EAAGsecret";

    @Test
    void theSameIdProves() {
        Proof proof = NumberProof.judge(ID, 200, "{\"verified_name\":\"Jasper's Market\",\"code_verification_status\":"
                + "\"VERIFIED\",\"display_phone_number\":\"+1 631-555-5555\",\"quality_rating\":\"GREEN\","
                + "\"platform_type\":\"CLOUD_API\",\"throughput\":{\"level\":\"STANDARD\"},\"id\":\"" + ID + "\"}", TOKEN);
        assertTrue(proof.proven());
    }

    @Test
    void anotherIdOrNoneIsRefused() {
        Proof other = NumberProof.judge(ID, 200, "{\"id\":\"999\"}", TOKEN);
        assertEquals(Outcome.REFUSED, other.outcome());
        assertTrue(other.why().contains("999"), other.why());
        assertEquals(Outcome.REFUSED, NumberProof.judge(ID, 200, "{}", TOKEN).outcome());
        assertEquals(Outcome.REFUSED, NumberProof.judge(ID, 200, "not json", TOKEN).outcome());
        assertEquals(Outcome.REFUSED, NumberProof.judge(ID, 200, "{\"id\":" + ID + "}", TOKEN).outcome(),
                "Meta's ids are strings");
    }

    @Test
    void metaRefusingTheTokenIsRefusedWithItsCodeAndNeverTheToken() {
        Proof proof = NumberProof.judge(ID, 401, "{\"error\":{\"message\":\"Invalid OAuth access token - Cannot parse"
                + " access token " + TOKEN + "\",\"type\":\"OAuthException\",\"code\":190,\"fbtrace_id\":\"A1\"}}", TOKEN);
        assertEquals(Outcome.REFUSED, proof.outcome());
        assertTrue(proof.why().contains("HTTP 401, code 190: Invalid OAuth access token"), proof.why());
        assertFalse(proof.why().contains(TOKEN), proof.why());
        assertEquals(Outcome.REFUSED, NumberProof.judge(ID, 400, "{\"error\":{\"message\":\"Unsupported get request.\","
                + "\"type\":\"GraphMethodException\",\"code\":100,\"error_subcode\":33}}", TOKEN).outcome());
        assertEquals(Outcome.REFUSED, NumberProof.judge(ID, 403, "", TOKEN).outcome());
    }

    @Test
    void metaFailingOrThrottlingIsUnreachable() {
        assertEquals(Outcome.UNREACHABLE, NumberProof.judge(ID, 500, "{\"error\":{\"code\":1}}", TOKEN).outcome());
        assertEquals(Outcome.UNREACHABLE, NumberProof.judge(ID, 503, "<html>", TOKEN).outcome());
        assertEquals(Outcome.UNREACHABLE, NumberProof.judge(ID, 429, "{\"error\":{\"code\":80007}}", TOKEN).outcome());
    }

    @Test
    void aLongMessageIsCut() {
        Proof proof = NumberProof.judge(ID, 400, "{\"error\":{\"message\":\"" + "x".repeat(5000) + "\"}}", TOKEN);
        assertTrue(proof.why().length() < 500, proof.why());
    }
}
