package dev.wisp.common.error;

/**
 * The kinds of failure Wisp reports to a caller, each with the HTTP status OpenWhisk uses for it and whether
 * the same request may succeed when tried again.
 */
public enum ErrorKind {
    BAD_REQUEST(400, false),
    UNAUTHORIZED(401, false),
    FORBIDDEN(403, false),
    NOT_FOUND(404, false),
    METHOD_NOT_ALLOWED(405, false),
    CONFLICT(409, false),
    PAYLOAD_TOO_LARGE(413, false),
    UNSUPPORTED_MEDIA_TYPE(415, false),
    UNPROCESSABLE(422, false),
    THROTTLED(429, true),
    INTERNAL(500, false),
    BAD_GATEWAY(502, true),
    UNAVAILABLE(503, true),
    TIMEOUT(504, true);

    private final int status;
    private final boolean retriable;

    ErrorKind(int status, boolean retriable) {
        this.status = status;
        this.retriable = retriable;
    }

    public int status() {
        return status;
    }

    public boolean retriable() {
        return retriable;
    }
}
