package dev.wisp.controller.api.request;

import java.util.Base64;

/**
 * Recognises action code sent as a base64 zip archive, the way clients send a packaged action (the
 * {@code openwhisk} npm client base64-encodes a Buffer and sends no {@code binary} flag).
 */
public final class BinaryCode {
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private BinaryCode() {
    }

    static boolean isBase64(String code) {
        String t = code.trim();
        if (t.isEmpty() || t.length() % 4 != 0) {
            return false;
        }
        try {
            Base64.getDecoder().decode(t);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** True when the code is base64 of a zip archive; only its first bytes are decoded. */
    static boolean isZip(String code) {
        String t = code.trim();
        if (t.length() < 8 || t.length() % 4 != 0) {
            return false;
        }
        try {
            byte[] head = Base64.getDecoder().decode(t.substring(0, 8));
            for (int i = 0; i < ZIP_MAGIC.length; i++) {
                if (head[i] != ZIP_MAGIC[i]) {
                    return false;
                }
            }
            return isBase64(t);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
