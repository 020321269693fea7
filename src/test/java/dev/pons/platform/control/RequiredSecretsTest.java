package dev.pons.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequiredSecretsTest {

    static final String KEY = "cG9ucy1pbnRlZ3JhdGlvbi10ZXN0cy1rZXktMDAzMiE=";

    private static Map<String, String> operatorValues() {
        Map<String, String> values = new HashMap<>();
        values.put("pons.admin.token", "x".repeat(24));
        values.put("pons.meta.app-secret", "test_app_secret");
        values.put("pons.meta.verify-token", "v");
        values.put("pons.secrets.encryption-key", KEY);
        return values;
    }

    private static List<String> problems(String profile, Map<String, String> values) {
        return RequiredSecrets.problems(Optional.ofNullable(profile), key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void anOperatorsOwnValuesStart() {
        assertEquals(List.of(), problems(null, operatorValues()));
        assertEquals(List.of(), problems("prod", operatorValues()));
    }

    @Test
    void withoutAProfileEveryMissingSecretIsNamed() {
        List<String> problems = problems(null, Map.of());
        assertEquals(4, problems.size(), problems.toString());
        for (String key : List.of("pons.admin.token", "pons.meta.app-secret", "pons.meta.verify-token",
                "pons.secrets.encryption-key")) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(key + " is not set")), key + " in " + problems);
        }
        assertTrue(problems.get(0).contains("PONS_ADMIN_TOKEN"), "names the environment variable: " + problems);
    }

    @Test
    void blankCountsAsMissing() {
        Map<String, String> values = operatorValues();
        values.put("pons.meta.verify-token", "   ");
        assertEquals(List.of("pons.meta.verify-token is not set: set PONS_META_VERIFY_TOKEN"), problems(null, values));
    }

    /** The dev profile's values (META-INF/microprofile-config.properties) are the public ones, refused outside it. */
    @Test
    void everyDevProfileValueIsRefusedOutsideDev() throws IOException {
        Properties shipped = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/microprofile-config.properties")) {
            shipped.load(in);
        }
        Map<String, String> devValues = new HashMap<>();
        shipped.stringPropertyNames().stream().filter(name -> name.startsWith("%dev.pons."))
                .forEach(name -> devValues.put(name.substring("%dev.".length()), shipped.getProperty(name)));
        assertEquals(RequiredSecrets.PUBLIC_VALUES, Map.of("pons.admin.token", devValues.get("pons.admin.token"),
                "pons.meta.app-secret", devValues.get("pons.meta.app-secret"),
                "pons.meta.verify-token", devValues.get("pons.meta.verify-token")));
        for (String secret : RequiredSecrets.KEYS) {
            assertFalse(shipped.containsKey(secret), secret + " has no value outside the dev profile");
        }

        Map<String, String> values = operatorValues();
        values.putAll(devValues);
        List<String> problems = problems("prod", values);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.stream().allMatch(p -> p.contains("public development value")), problems.toString());
        assertTrue(problems.stream().noneMatch(p -> p.contains("dev-")), "values are never quoted: " + problems);
    }

    @Test
    void theFixturesAppSecretIsNotPublic() {
        Map<String, String> values = operatorValues();
        values.put("pons.meta.app-secret", "test_app_secret");
        assertEquals(List.of(), problems(null, values));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, 23})
    void anAdminTokenUnder24CharactersIsRefused(int length) {
        Map<String, String> values = operatorValues();
        values.put("pons.admin.token", "#".repeat(length));
        List<String> problems = problems(null, values);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("pons.admin.token is shorter than 24 characters"), problems.toString());
        assertFalse(problems.get(0).contains("#"), "the token is not quoted");
    }

    @Test
    void anAdminTokenOf24CharactersIsEnoughAndSurroundingSpaceDoesNotCount() {
        Map<String, String> values = operatorValues();
        values.put("pons.admin.token", "a".repeat(24));
        assertEquals(List.of(), problems(null, values));
        values.put("pons.admin.token", "  " + "a".repeat(23) + "  ");
        assertEquals(1, problems(null, values).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "c2hvcnQ=", "dev-encryption-key"})
    void anEncryptionKeyThatIsNot32BytesOfBase64IsRefusedWithoutQuotingIt(String key) {
        Map<String, String> values = operatorValues();
        values.put("pons.secrets.encryption-key", key);
        List<String> problems = problems(null, values);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("pons.secrets.encryption-key is not base64 of 32 bytes nor a key ring ("),
                problems.get(0));
        assertTrue(problems.get(0).endsWith("): set PONS_SECRETS_ENCRYPTION_KEY (openssl rand -base64 32)"), problems.get(0));
        assertFalse(problems.get(0).contains(key), "the value is never quoted: " + problems.get(0));
    }

    @Test
    void aKeyRingIsAcceptedAndAMalformedOneNamesTheEntryNotTheKey() {
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'B');
        Map<String, String> values = operatorValues();
        values.put("pons.secrets.encryption-key", "2027-01:" + key + ",default:" + key.replace('B', 'C'));
        assertEquals(List.of(), problems(null, values));
        values.put("pons.secrets.encryption-key", "2027-01:" + key + "," + key);
        List<String> problems = problems(null, values);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("entry 2 of 2 has no id"), problems.get(0));
        assertFalse(problems.get(0).contains(key), "the key is never quoted: " + problems.get(0));
    }

    @Test
    void theDevProfileNeedsNothing() {
        assertEquals(List.of(), problems("dev", Map.of()));
        assertEquals(List.of(), problems(" dev ", Map.of()));
        assertTrue(RequiredSecrets.development(Optional.of("dev")));
    }

    @Test
    void onlyTheDevProfileIsDevelopment() {
        for (String profile : List.of("prod", "test", "DEV", "development", "")) {
            assertFalse(RequiredSecrets.development(Optional.of(profile)), profile);
            assertEquals(4, problems(profile, Map.of()).size(), profile);
        }
        assertFalse(RequiredSecrets.development(Optional.empty()));
    }

    @Test
    void aDevelopmentServerIsToldWhichPublicValuesItUses() {
        Map<String, String> values = new HashMap<>(RequiredSecrets.PUBLIC_VALUES);
        assertEquals(RequiredSecrets.KEYS, RequiredSecrets.publicInDevelopment(key -> Optional.ofNullable(values.get(key))));
        assertEquals(List.of(), RequiredSecrets.publicInDevelopment(key -> Optional.ofNullable(operatorValues().get(key))));
    }
}
