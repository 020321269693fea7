package dev.pons.targets.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pons.platform.control.DomainException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PayloadFilterTest {

    /** An envelope with a field of every kind the operators care about. */
    private static final JsonObject ENVELOPE = (JsonObject) json("""
            {'id': 'evt_1', 'type': 'message.received', 'source': 'whatsapp',
             'occurredAt': '2025-05-01T10:00:00Z', 'accountId': 'acc_1',
             'payload': {'type': 'text', 'from': '4915112345678', 'count': 3, 'price': 1.50, 'big': 1e400,
                         'flag': true, 'off': false, 'nothing': null, 'text': 'Hello World',
                         'tags': ['vip', 'new'], 'nums': [1, 2.5], 'mixed': [null, true, 'x'],
                         'nested': {'deep': {'x': 'y'}}}}
            """);

    private static final String SCALAR = "must be a string, number, boolean or null";
    private static final String SCALARS = "must be an array of strings, numbers, booleans or null";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # equality with scalars: exact, case-sensitive, numbers by value and never equal to strings
            {}                                                   | true
            {'type': 'message.received'}                         | true
            {'type': 'Message.Received'}                         | false
            {'payload.type': 'text'}                             | true
            {'payload.type': 'image'}                            | false
            {'payload.type': 'text', 'source': 'whatsapp'}       | true
            {'payload.type': 'text', 'source': 'sms'}            | false
            {'payload.count': 3}                                 | true
            {'payload.count': 3.0}                               | true
            {'payload.count': 30e-1}                             | true
            {'payload.count': 4}                                 | false
            {'payload.count': '3'}                               | false
            {'payload.price': 1.5}                               | true
            {'payload.price': '1.50'}                            | false
            {'payload.big': 1E+400}                              | true
            {'payload.flag': true}                               | true
            {'payload.flag': false}                              | false
            {'payload.flag': 'true'}                             | false
            {'payload.off': false}                               | true
            {'payload.nested.deep.x': 'y'}                       | true
            {'payload.nested.deep.x': 'Y'}                       | false
            {'payload.nested.deep': 'y'}                         | false
            # equality never looks into arrays: that is $contains
            {'payload.tags': 'vip'}                              | false
            # null matches JSON null and absent; paths walk objects only
            {'payload.nothing': null}                            | true
            {'payload.missing': null}                            | true
            {'nope.deeper.still': null}                          | true
            {'payload.type.length': null}                        | true
            {'payload.tags.0': null}                             | true
            {'payload.tags.0': 'vip'}                            | false
            {'payload.type': null}                               | false
            # $eq
            {'payload.type': {'$eq': 'text'}}                    | true
            {'payload.type': {'$eq': 'TEXT'}}                    | false
            {'payload.count': {'$eq': 3.00}}                     | true
            {'payload.count': {'$eq': '3'}}                      | false
            {'payload.missing': {'$eq': null}}                   | true
            {'payload.nothing': {'$eq': null}}                   | true
            {'payload.type': {'$eq': null}}                      | false
            # $ne: absent counts as null
            {'payload.type': {'$ne': 'image'}}                   | true
            {'payload.type': {'$ne': 'text'}}                    | false
            {'payload.count': {'$ne': 3.0}}                      | false
            {'payload.count': {'$ne': '3'}}                      | true
            {'payload.missing': {'$ne': 'x'}}                    | true
            {'payload.missing': {'$ne': null}}                   | false
            {'payload.nothing': {'$ne': null}}                   | false
            {'payload.type': {'$ne': null}}                      | true
            # $in
            {'payload.type': {'$in': ['image', 'text']}}         | true
            {'payload.type': {'$in': ['image', 'video']}}        | false
            {'payload.type': {'$in': ['TEXT']}}                  | false
            {'payload.type': {'$in': []}}                        | false
            {'payload.missing': {'$in': []}}                     | false
            {'payload.count': {'$in': ['3', 3.0]}}               | true
            {'payload.count': {'$in': ['3']}}                    | false
            {'payload.flag': {'$in': [true]}}                    | true
            {'payload.flag': {'$in': [false, 'true', 1]}}        | false
            {'payload.type': {'$in': [1, true, null]}}           | false
            {'payload.missing': {'$in': [null, 'x']}}            | true
            {'payload.nothing': {'$in': ['x', null]}}            | true
            {'payload.missing': {'$in': ['x']}}                  | false
            # $nin: absent counts as null
            {'payload.type': {'$nin': ['image', 'video']}}       | true
            {'payload.type': {'$nin': ['text']}}                 | false
            {'payload.type': {'$nin': []}}                       | true
            {'payload.count': {'$nin': [3.0]}}                   | false
            {'payload.missing': {'$nin': ['x']}}                 | true
            {'payload.missing': {'$nin': [null]}}                | false
            {'payload.nothing': {'$nin': [null]}}                | false
            # $exists: present, also as null, or absent
            {'payload.type': {'$exists': true}}                  | true
            {'payload.nothing': {'$exists': true}}               | true
            {'payload.missing': {'$exists': true}}               | false
            {'payload.missing': {'$exists': false}}              | true
            {'payload.nothing': {'$exists': false}}              | false
            {'payload.type': {'$exists': false}}                 | false
            {'payload.type.inner': {'$exists': false}}           | true
            {'payload.nested.deep': {'$exists': true}}           | true
            # $startsWith: strings only
            {'payload.from': {'$startsWith': '49'}}              | true
            {'payload.from': {'$startsWith': '44'}}              | false
            {'payload.text': {'$startsWith': 'hello'}}           | false
            {'payload.type': {'$startsWith': ''}}                | true
            {'payload.count': {'$startsWith': '3'}}              | false
            {'payload.missing': {'$startsWith': ''}}             | false
            # $contains: substring of a string, element of an array
            {'payload.text': {'$contains': 'lo Wo'}}             | true
            {'payload.text': {'$contains': 'world'}}             | false
            {'payload.text': {'$contains': 3}}                   | false
            {'payload.tags': {'$contains': 'vip'}}               | true
            {'payload.tags': {'$contains': 'VIP'}}               | false
            {'payload.tags': {'$contains': 'vi'}}                | false
            {'payload.tags': {'$contains': null}}                | false
            {'payload.nums': {'$contains': 2.50}}                | true
            {'payload.nums': {'$contains': 1.0}}                 | true
            {'payload.nums': {'$contains': '1'}}                 | false
            {'payload.mixed': {'$contains': null}}               | true
            {'payload.mixed': {'$contains': true}}               | true
            {'payload.mixed': {'$contains': false}}              | false
            {'payload.count': {'$contains': 3}}                  | false
            {'payload.nested': {'$contains': 'deep'}}            | false
            {'payload.missing': {'$contains': 'x'}}              | false
            # $gt, $gte, $lt, $lte: numbers only, by value
            {'payload.count': {'$gt': 2}}                        | true
            {'payload.count': {'$gt': 2.999}}                    | true
            {'payload.count': {'$gt': 3.0}}                      | false
            {'payload.count': {'$gte': 3.0}}                     | true
            {'payload.count': {'$gte': 3.01}}                    | false
            {'payload.count': {'$lt': 4}}                        | true
            {'payload.count': {'$lt': 3}}                        | false
            {'payload.count': {'$lte': 3}}                       | true
            {'payload.count': {'$lte': 2.9}}                     | false
            {'payload.count': {'$lt': 1e400}}                    | true
            {'payload.count': {'$gt': -1e400}}                   | true
            {'payload.big': {'$gt': 1e399}}                      | true
            {'payload.big': {'$lte': 1e399}}                     | false
            {'payload.from': {'$gt': 0}}                         | false
            {'payload.flag': {'$gte': 0}}                        | false
            {'payload.missing': {'$lt': 0}}                      | false
            {'payload.nothing': {'$lte': 0}}                     | false
            # several operators in one condition must all hold
            {'payload.price': {'$gt': 1.49, '$lt': 1.51}}        | true
            {'payload.price': {'$gt': 1.5, '$lt': 2}}            | false
            {'payload.type': {'$exists': true, '$ne': 'image', '$startsWith': 'te'}} | true
            {'payload.type': {'$exists': true, '$ne': 'text', '$startsWith': 'te'}}  | false
            """)
    void evaluatesEachOperator(String filter, boolean expected) {
        assertEquals(expected, PayloadFilter.parse(json(filter)).matches(ENVELOPE));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            {'$and': [{'type': 'message.received'}, {'payload.type': 'text'}]}     | true
            {'$and': [{'type': 'message.received'}, {'payload.type': 'image'}]}    | false
            {'$or': [{'payload.type': 'image'}, {'payload.type': 'text'}]}         | true
            {'$or': [{'payload.type': 'image'}, {'payload.type': 'video'}]}        | false
            {'$not': {'payload.type': 'image'}}                                    | true
            {'$not': {'payload.type': 'text'}}                                     | false
            {'$not': {'$not': {'payload.type': 'text'}}}                           | true
            {'$not': {}}                                                           | false
            {'$and': [{}]}                                                         | true
            {'$or': [{}]}                                                          | true
            # a non-number fails $gt, so $not of it matches
            {'$not': {'payload.from': {'$gt': 0}}}                                 | true
            # entries beside a combinator must match too
            {'source': 'whatsapp', '$or': [{'payload.type': 'image'}, {'payload.count': {'$gte': 3}}]} | true
            {'source': 'sms', '$or': [{'payload.type': 'text'}]}                   | false
            {'$or': [{'payload.type': 'text'}], '$not': {'payload.flag': true}}    | false
            """)
    void combinesFilters(String filter, boolean expected) {
        assertEquals(expected, PayloadFilter.parse(json(filter)).matches(ENVELOPE));
    }

    @ParameterizedTest(name = "vip tag {0}, count below {1} -> {2}")
    @CsvSource({"vip, 3, true", "gold, 3, false", "vip, 4, false"})
    void nestsCombinatorsAtAnyLevel(String tag, int countBelow, boolean expected) {
        // Either a text without the flag, or a tagged event with a count of at least countBelow and no 'missing'.
        PayloadFilter filter = PayloadFilter.parse(json("""
                {'$or': [
                  {'$and': [{'payload.type': 'text'}, {'$not': {'payload.flag': true}}]},
                  {'$and': [
                    {'payload.tags': {'$contains': '%s'}},
                    {'$not': {'$or': [{'payload.count': {'$lt': %d}}, {'payload.missing': {'$exists': true}}]}}
                  ]}
                ]}
                """.formatted(tag, countBelow)));
        assertEquals(expected, filter.matches(ENVELOPE));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            'payload.type'                                  | filter: must be an object
            []                                              | filter: must be an object
            42                                              | filter: must be an object
            true                                            | filter: must be an object
            {'$foo': 1}                                     | filter.$foo: unknown operator
            {'$where': 'true', 'type': 'x'}                 | filter.$where: unknown operator
            {'payload.type': {'$regex': '^te'}}             | filter.payload.type.$regex: unknown operator
            {'payload': {'type': 'text'}}                   | filter.payload.type: unknown operator; name a nested field with a dotted path such as payload.type
            {'payload.type': ['text']}                      | filter.payload.type: must be a string, number, boolean, null or an object of operators
            {'payload.type': {}}                            | filter.payload.type: must name at least one operator
            {'payload..type': 1}                            | filter.payload..type: must be a dot-separated path of non-empty field names
            {'.type': 1}                                    | filter..type: must be a dot-separated path of non-empty field names
            {'type.': 1}                                    | filter.type.: must be a dot-separated path of non-empty field names
            {'': 1}                                         | filter.: must be a dot-separated path of non-empty field names
            {'payload.type': {'$eq': ['text']}}             | filter.payload.type.$eq: must be a string, number, boolean or null
            {'payload.type': {'$eq': {}}}                   | filter.payload.type.$eq: must be a string, number, boolean or null
            {'payload.type': {'$ne': {'a': 1}}}             | filter.payload.type.$ne: must be a string, number, boolean or null
            {'payload.type': {'$in': 'text'}}               | filter.payload.type.$in: must be an array of strings, numbers, booleans or null
            {'payload.type': {'$in': null}}                 | filter.payload.type.$in: must be an array of strings, numbers, booleans or null
            {'payload.type': {'$in': ['a', ['b']]}}         | filter.payload.type.$in: must be an array of strings, numbers, booleans or null
            {'payload.type': {'$in': [{}]}}                 | filter.payload.type.$in: must be an array of strings, numbers, booleans or null
            {'payload.type': {'$nin': 'text'}}              | filter.payload.type.$nin: must be an array of strings, numbers, booleans or null
            {'payload.type': {'$nin': [[1]]}}               | filter.payload.type.$nin: must be an array of strings, numbers, booleans or null
            {'payload.type': {'$exists': 'true'}}           | filter.payload.type.$exists: must be true or false
            {'payload.type': {'$exists': 1}}                | filter.payload.type.$exists: must be true or false
            {'payload.type': {'$exists': null}}             | filter.payload.type.$exists: must be true or false
            {'payload.type': {'$startsWith': 1}}            | filter.payload.type.$startsWith: must be a string
            {'payload.type': {'$startsWith': null}}         | filter.payload.type.$startsWith: must be a string
            {'payload.type': {'$startsWith': ['t']}}        | filter.payload.type.$startsWith: must be a string
            {'payload.tags': {'$contains': ['vip']}}        | filter.payload.tags.$contains: must be a string, number, boolean or null
            {'payload.tags': {'$contains': {}}}             | filter.payload.tags.$contains: must be a string, number, boolean or null
            {'payload.count': {'$gt': '1'}}                 | filter.payload.count.$gt: must be a number
            {'payload.count': {'$gte': null}}               | filter.payload.count.$gte: must be a number
            {'payload.count': {'$lt': true}}                | filter.payload.count.$lt: must be a number
            {'payload.count': {'$lte': [1]}}                | filter.payload.count.$lte: must be a number
            {'$and': []}                                    | filter.$and: must not be empty
            {'$or': []}                                     | filter.$or: must not be empty
            {'$and': {'type': 'x'}}                         | filter.$and: must be an array of filters
            {'$or': 'x'}                                    | filter.$or: must be an array of filters
            {'$or': [{'type': 'x'}, 'y']}                   | filter.$or[1]: must be an object
            {'$and': [null]}                                | filter.$and[0]: must be an object
            {'$not': [{'type': 'x'}]}                       | filter.$not: must be an object
            {'$not': null}                                  | filter.$not: must be an object
            {'$not': {'$and': [{'a': {'$in': 1}}]}}         | filter.$not.$and[0].a.$in: must be an array of strings, numbers, booleans or null
            {'$or': [{}, {'$and': [{'b': {'$bad': 1}}]}]}   | filter.$or[1].$and[0].b.$bad: unknown operator
            """)
    void refusesNamingThePathOfTheProblem(String filter, String problem) {
        assertEquals(List.of(problem), problems(() -> PayloadFilter.parse(json(filter))));
    }

    @Test
    void refusalListsEveryProblem() {
        String filter = "{'a': {'$gt': 'x', '$in': 1}, '$or': [], 'b': {'$bogus': 1}, 'c': 'fine'}";
        assertEquals(List.of(
                "filter.a.$gt: must be a number",
                "filter.a.$in: " + SCALARS,
                "filter.$or: must not be empty",
                "filter.b.$bogus: unknown operator"),
                problems(() -> PayloadFilter.parse(json(filter))));
    }

    @Test
    void allowsEightLevelsAndRefusesTheNinth() {
        JsonValue eight = nestedNot(7, Json.createObjectBuilder().add("payload.type", "text").build());
        assertFalse(PayloadFilter.parse(eight).matches(ENVELOPE), "seven $not around a match");

        JsonValue nine = nestedNot(8, Json.createObjectBuilder().add("payload.type", "text").build());
        assertEquals(List.of("filter" + ".$not".repeat(8) + ": at most 8 levels deep"),
                problems(() -> PayloadFilter.parse(nine)));
    }

    @Test
    void countsLevelsThroughAndAndOr() {
        JsonObject filter = Json.createObjectBuilder().add("type", "message.received").build();
        for (int level = 1; level <= 7; level++) {
            String combinator = level % 2 == 1 ? "$and" : "$or";
            filter = Json.createObjectBuilder().add(combinator, Json.createArrayBuilder().add(filter)).build();
        }
        assertTrue(PayloadFilter.parse(filter).matches(ENVELOPE));

        JsonObject tooDeep = Json.createObjectBuilder().add("$and", Json.createArrayBuilder()
                .add(JsonValue.EMPTY_JSON_OBJECT).add(filter)).build();
        assertEquals(List.of("filter.$and[1].$and[0].$or[0].$and[0].$or[0].$and[0].$or[0].$and[0]: at most 8 levels deep"),
                problems(() -> PayloadFilter.parse(tooDeep)));
    }

    @Test
    void allowsExactly4096BytesOfCompactJson() {
        // {"a":"<pad>"} is 8 bytes around the padding.
        assertEquals(4096, PayloadFilter.parse(stringFilter("x".repeat(4088))).toString().length());
        assertTooLarge(() -> PayloadFilter.parse(stringFilter("x".repeat(4089))));
        assertTooLarge(() -> PayloadFilter.parse(stringFilter("x".repeat(100_000))));
    }

    @Test
    void countsBytesOfUtf8NotCharacters() {
        assertTrue(PayloadFilter.parse(stringFilter("ü".repeat(2044))).matches(
                Json.createObjectBuilder().add("a", "ü".repeat(2044)).build()));
        assertTooLarge(() -> PayloadFilter.parse(stringFilter("ü".repeat(2045))));
        // One character outside the Basic Multilingual Plane: a surrogate pair, 4 bytes in UTF-8.
        String emoji = "\uD83D\uDE00";
        PayloadFilter.parse(stringFilter(emoji.repeat(1022)));
        assertTooLarge(() -> PayloadFilter.parse(stringFilter(emoji.repeat(1022) + "x")));
    }

    @Test
    void measuresTextAsGivenAndRefusesItBeforeParsing() {
        String compact = stringFilter("x".repeat(4000)).toString();
        assertEquals(compact, PayloadFilter.parse(compact).toString());
        assertTooLarge(() -> PayloadFilter.parse(compact + " ".repeat(100)));
        // Not even JSON: refused for its size without being read.
        assertTooLarge(() -> PayloadFilter.parse("[".repeat(5000)));
    }

    @Test
    void refusesTextThatIsNotJson() {
        assertEquals(List.of("filter: must be valid JSON"), problems(() -> PayloadFilter.parse("{'type':")));
        assertEquals(List.of("filter: must be valid JSON"), problems(() -> PayloadFilter.parse("")));
        assertEquals(List.of("filter: must be valid JSON"), problems(() -> PayloadFilter.parse("{} {}")));
        assertEquals(List.of("filter: must be valid JSON"), problems(() -> PayloadFilter.parse("{\"a\":1} x")));
    }

    @Test
    void nullOrAbsentFilterMatchesEverything() {
        assertSame(PayloadFilter.MATCH_ALL, PayloadFilter.parse((JsonValue) null));
        assertSame(PayloadFilter.MATCH_ALL, PayloadFilter.parse(JsonValue.NULL));
        assertSame(PayloadFilter.MATCH_ALL, PayloadFilter.parse((String) null));
        assertSame(PayloadFilter.MATCH_ALL, PayloadFilter.parse("null"));
        assertTrue(PayloadFilter.MATCH_ALL.matches(ENVELOPE));
        assertTrue(PayloadFilter.MATCH_ALL.matches(JsonValue.EMPTY_JSON_OBJECT));
        assertEquals("null", PayloadFilter.MATCH_ALL.toString());
        assertEquals(JsonValue.NULL, PayloadFilter.MATCH_ALL.json());
    }

    @Test
    void emptyFilterMatchesEverythingButIsKeptAsGiven() {
        PayloadFilter empty = PayloadFilter.parse("{}");
        assertTrue(empty.matches(ENVELOPE));
        assertTrue(empty.matches(JsonValue.EMPTY_JSON_OBJECT));
        assertEquals("{}", empty.toString());
        assertNotEquals(PayloadFilter.MATCH_ALL, empty);
    }

    @Test
    void givesBackCompactJsonThatParsesToTheSameFilter() {
        String spaced = """
                { "payload.type" : { "$in" : [ "text", 1.50, null ] } ,
                  "$not" : { "source" : "sms" } }
                """;
        PayloadFilter filter = PayloadFilter.parse(spaced);
        assertEquals("{\"payload.type\":{\"$in\":[\"text\",1.50,null]},\"$not\":{\"source\":\"sms\"}}",
                filter.toString());
        assertEquals(json(spaced), filter.json());

        PayloadFilter again = PayloadFilter.parse(filter.toString());
        assertEquals(filter, again);
        assertEquals(filter.hashCode(), again.hashCode());
        assertTrue(again.matches(ENVELOPE));
        assertNotEquals(filter, PayloadFilter.parse("{\"payload.type\":\"text\"}"));
    }

    @Test
    void matchesARealisticWhatsAppButtonReply() {
        PayloadFilter filter = PayloadFilter.parse(json("""
                {'type': 'message.received',
                 'payload.type': 'interactive',
                 'payload.from': {'$startsWith': '49'},
                 'payload.raw.interactive.type': {'$in': ['button_reply', 'list_reply']},
                 'payload.raw.interactive.button_reply.id': {'$exists': true, '$ne': 'opt_out'}}
                """));

        assertTrue(filter.matches(whatsAppInbound("4915112345678", "button_reply", "confirm_order")));
        // The same compiled filter, evaluated again against events that each break one condition.
        assertFalse(filter.matches(whatsAppInbound("4415112345678", "button_reply", "confirm_order")));
        assertFalse(filter.matches(whatsAppInbound("4915112345678", "nfm_reply", "confirm_order")));
        assertFalse(filter.matches(whatsAppInbound("4915112345678", "button_reply", "opt_out")));
        assertTrue(filter.matches(whatsAppInbound("4915112345678", "button_reply", "confirm_order")));
    }

    private static JsonObject whatsAppInbound(String from, String interactiveType, String buttonId) {
        JsonObjectBuilder interactive = Json.createObjectBuilder().add("type", interactiveType);
        if (interactiveType.equals("button_reply")) {
            interactive.add("button_reply", Json.createObjectBuilder().add("id", buttonId).add("title", "Confirm"));
        }
        JsonObject raw = Json.createObjectBuilder()
                .add("from", from)
                .add("id", "wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYIDNBMjQ5")
                .add("timestamp", "1714557600")
                .add("type", "interactive")
                .add("context", Json.createObjectBuilder().add("from", "15550001111").add("id", "wamid.ORIGINAL"))
                .add("interactive", interactive)
                .build();
        return Json.createObjectBuilder()
                .add("id", "evt_01HXYZ")
                .add("type", "message.received")
                .add("source", "whatsapp")
                .add("occurredAt", "2025-05-01T10:00:00Z")
                .add("accountId", "acc_42")
                .add("payload", Json.createObjectBuilder()
                        .add("type", "interactive")
                        .add("from", from)
                        .add("to", "15550001111")
                        .add("messageId", "wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYIDNBMjQ5")
                        .add("raw", raw))
                .build();
    }

    private static JsonValue nestedNot(int times, JsonObject inner) {
        JsonObject filter = inner;
        for (int i = 0; i < times; i++) {
            filter = Json.createObjectBuilder().add("$not", filter).build();
        }
        return filter;
    }

    private static JsonObject stringFilter(String value) {
        return Json.createObjectBuilder().add("a", value).build();
    }

    private static void assertTooLarge(ThrowingParse parse) {
        assertEquals(List.of("filter: at most 4096 bytes"), problems(parse));
    }

    private static List<String> problems(ThrowingParse parse) {
        DomainException refusal = assertThrows(DomainException.class, parse::run);
        assertEquals(DomainException.Kind.INVALID, refusal.kind());
        assertEquals("invalid filter", refusal.getMessage());
        return refusal.details();
    }

    @FunctionalInterface
    private interface ThrowingParse {
        PayloadFilter run();
    }

    /** Reads JSON written with single quotes, which keeps the tables above readable. */
    private static JsonValue json(String singleQuoted) {
        try (JsonReader reader = Json.createReader(new StringReader(singleQuoted.replace('\'', '"')))) {
            return reader.readValue();
        }
    }
}
