package dev.pons.bench;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.concurrent.atomic.AtomicLong;

import dev.pons.it.Meta;

/**
 * Meta's webhook bodies for the benchmark, built like the fixtures in src/test/resources/meta: inbound messages (text,
 * interactive button reply, reaction) or statuses (sent, read, failed), 1–50 per POST, every message id
 * fresh and starting with {@link ReceiverMain#MARKER} so a receiver can tell which message a request
 * carries. Signed like Meta signs them.
 */
public final class MetaTraffic {

    /** One POST's worth: its body, Meta's signature header and the message ids in it, in order. */
    public record Batch(byte[] body, String signature, List<String> messageIds) {
        public int events() {
            return messageIds.size();
        }

        public String first() {
            return messageIds.get(0);
        }
    }

    private static final String ID = "@@ID@@";
    private static final String TS = "@@TS@@";
    /** Pads generated ids to the length of real wamids. */
    private static final String FILLER = "HBgLMTY1MDU1NTEyMzQVAgASGBQzQTVC";

    private final String messagesPrefix;
    private final String statusesPrefix;
    private final String suffix;
    private final String[] messageTemplates;
    private final String[] statusTemplates;
    private final String idPrefix;
    private final AtomicLong sequence = new AtomicLong();
    private final int minBatch;
    private final int maxBatch;

    /**
     * @param phoneNumberId the registered number the bodies are addressed to
     * @param tag           unique per run and scenario: goes into every message id
     */
    public MetaTraffic(String phoneNumberId, String tag, int minBatch, int maxBatch) {
        this.idPrefix = ReceiverMain.MARKER + tag + "_";
        this.minBatch = minBatch;
        this.maxBatch = maxBatch;
        String[] text = split("inbound-text.json", "messages", phoneNumberId);
        messagesPrefix = text[0];
        suffix = text[1];
        statusesPrefix = split("status-read.json", "statuses", phoneNumberId)[0];
        messageTemplates = new String[] {
                template("inbound-text.json", "messages"),
                template("inbound-interactive-button.json", "messages"),
                template("inbound-reaction.json", "messages")};
        statusTemplates = new String[] {
                template("status-sent.json", "statuses"),
                template("status-read.json", "statuses"),
                template("status-failed.json", "statuses")};
    }

    public String idPrefix() {
        return idPrefix;
    }

    /** A batch of a random size within the configured range. */
    public Batch next(RandomGenerator random) {
        return next(random, size(random));
    }

    /** A random batch size within the configured range. */
    public int size(RandomGenerator random) {
        return minBatch + (maxBatch > minBatch ? random.nextInt(maxBatch - minBatch + 1) : 0);
    }

    /** Seven POSTs in ten carry inbound messages (mostly text), three carry statuses. */
    public Batch next(RandomGenerator random, int size) {
        boolean statuses = random.nextInt(10) >= 7;
        String seconds = String.valueOf(System.currentTimeMillis() / 1000);
        StringBuilder body = new StringBuilder(size * 420 + 400).append(statuses ? statusesPrefix : messagesPrefix);
        List<String> ids = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int pick = random.nextInt(10);
            String template = statuses
                    ? statusTemplates[pick < 5 ? 0 : pick < 8 ? 1 : 2]
                    : messageTemplates[pick < 8 ? 0 : pick < 9 ? 1 : 2];
            String id = idPrefix + String.format("%09d", sequence.incrementAndGet()) + FILLER;
            ids.add(id);
            body.append(i == 0 ? "" : ",").append(template.replace(ID, id).replace(TS, seconds));
        }
        byte[] bytes = body.append(suffix).toString().getBytes(StandardCharsets.UTF_8);
        return new Batch(bytes, Meta.sign(bytes, Meta.APP_SECRET), ids);
    }

    private static JsonObject value(JsonObject notification) {
        return notification.getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0)
                .getJsonObject("value");
    }

    /** The fixture around its list: [text before the first item, text after the last]. */
    private static String[] split(String fixture, String list, String phoneNumberId) {
        String json = Json.createReader(new StringReader(Meta.fixture(fixture))).readObject().toString()
                .replace(Meta.FIXTURE_NUMBER, phoneNumberId);
        JsonArray items = value(Json.createReader(new StringReader(json)).readObject()).getJsonArray(list);
        String all = items.toString();
        int at = json.indexOf("\"" + list + "\":" + all);
        if (at < 0) {
            throw new IllegalStateException("cannot find " + list + " in " + fixture);
        }
        int start = at + list.length() + 4;
        return new String[] {json.substring(0, start), json.substring(start + all.length() - 2)};
    }

    /** The fixture's first item with its id and timestamp made placeholders. */
    private static String template(String fixture, String list) {
        JsonObject item = value(Json.createReader(new StringReader(Meta.fixture(fixture))).readObject())
                .getJsonArray(list).getJsonObject(0);
        return Json.createObjectBuilder(item).add("id", ID).add("timestamp", TS).build().toString();
    }
}
