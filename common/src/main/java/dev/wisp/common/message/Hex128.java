package dev.wisp.common.message;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * 128 random bits as 32 lowercase hex digits, the form of activation and transaction ids. Minted on every invoke,
 * so without {@code UUID.randomUUID()}'s costs: its shared {@code SecureRandom} reads {@code /dev/urandom} on each
 * call under one lock, and its string is formatted with dashes and then copied without them.
 */
final class Hex128 {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    /**
     * A DRBG per thread, seeded once from the system: as unpredictable as the system's generator, without a system
     * call or a shared lock each time.
     */
    private static final ThreadLocal<SecureRandom> SECURE = ThreadLocal.withInitial(() -> {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    });

    private Hex128() {
    }

    /** Unpredictable: ids a caller must not be able to guess from the ones it has seen. */
    static String secure() {
        SecureRandom r = SECURE.get();
        return of(r.nextLong(), r.nextLong());
    }

    /** Unique with overwhelming probability but guessable: for ids that only label a request in logs. */
    static String fast() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return of(r.nextLong(), r.nextLong());
    }

    static String of(long high, long low) {
        char[] out = new char[32];
        for (int i = 0; i < 16; i++) {
            out[i] = DIGITS[(int) (high >>> (60 - 4 * i)) & 0xf];
            out[16 + i] = DIGITS[(int) (low >>> (60 - 4 * i)) & 0xf];
        }
        return new String(out);
    }

    /** Whether {@code value} is 32 lowercase hex digits. */
    static boolean isHex128(String value) {
        if (value == null || value.length() != 32) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
