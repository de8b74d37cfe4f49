package dev.wisp.common.error;

import java.util.Objects;

/**
 * The one unchecked exception family of Wisp's system failures and rejected requests. An action's own failure
 * is never one of these: it is data in the activation record.
 */
public class WispException extends RuntimeException {
    private final ErrorKind kind;

    public WispException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    public WispException(ErrorKind kind, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public ErrorKind kind() {
        return kind;
    }

    public int status() {
        return kind.status();
    }

    public boolean retriable() {
        return kind.retriable();
    }

    public static WispException badRequest(String message) {
        return new WispException(ErrorKind.BAD_REQUEST, message);
    }

    public static WispException notFound(String message) {
        return new WispException(ErrorKind.NOT_FOUND, message);
    }

    public static WispException unauthorized() {
        return new WispException(ErrorKind.UNAUTHORIZED, "The supplied authentication is invalid.");
    }

    public static WispException forbidden(String message) {
        return new WispException(ErrorKind.FORBIDDEN, message);
    }

    public static WispException conflict(String message) {
        return new WispException(ErrorKind.CONFLICT, message);
    }

    public static WispException tooLarge(String message) {
        return new WispException(ErrorKind.PAYLOAD_TOO_LARGE, message);
    }

    public static WispException unavailable(String message) {
        return new WispException(ErrorKind.UNAVAILABLE, message);
    }

    public static WispException internal(String message, Throwable cause) {
        return new WispException(ErrorKind.INTERNAL, message, cause);
    }
}
