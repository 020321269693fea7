package dev.pons.platform.control;

import java.security.SecureRandom;

/**
 * Public ids: a type prefix and 26 Crockford base32 characters, 48 bits of milliseconds then 80
 * random bits (the ULID layout). Sorting ids sorts by creation time, which is what "newest first"
 * pagination needs, and ids can be made on any instance without a database round trip. Within one
 * millisecond an instance counts up from the random part of its first id (ULID's monotonic mode), so
 * the ids one instance makes sort in the order it made them.
 */
public final class Ids {

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    private static long lastMillis = -1;
    private static long lastHigh;
    private static long lastLow;

    public static String next(String prefix, long epochMillis) {
        long high;
        long low;
        synchronized (Ids.class) {
            if (epochMillis == lastMillis) {
                lastLow++;
            } else {
                byte[] random = new byte[10];
                RANDOM.nextBytes(random);
                lastHigh = bits(random, 0);
                // The top bit clear: 2^39 more ids fit in the millisecond before the low 40 bits overflow.
                lastLow = bits(random, 5) & (MASK_40 >>> 1);
                lastMillis = epochMillis;
            }
            high = lastHigh;
            low = lastLow;
        }
        char[] out = new char[26];
        long time = epochMillis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 bits as 16 characters of 5 bits.
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (high & 31)];
            high >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (low & 31)];
            low >>>= 5;
        }
        return prefix + "_" + new String(out);
    }

    private static final long MASK_40 = (1L << 40) - 1;

    private static long bits(byte[] bytes, int from) {
        long value = 0;
        for (int i = from; i < from + 5; i++) {
            value = (value << 8) | (bytes[i] & 0xff);
        }
        return value;
    }
}
