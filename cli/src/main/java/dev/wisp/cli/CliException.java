package dev.wisp.cli;

/**
 * A failure the CLI reports in one line and turns into its exit code: {@link #USAGE} for a command line it cannot
 * run, {@link #FAILED} for a request the API refused or an action that failed, {@link #UNREACHABLE} when the API
 * host does not answer or is not configured.
 */
final class CliException extends RuntimeException {
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    static CliException failed(String message) {
        return new CliException(FAILED, message);
    }

    int exitCode() {
        return exitCode;
    }
}
