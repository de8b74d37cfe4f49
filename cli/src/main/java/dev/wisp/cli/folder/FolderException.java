package dev.wisp.cli.folder;

/** A function folder that cannot become an action: the message names the file and the problem. */
public final class FolderException extends RuntimeException {
    private final boolean badFolder;

    private FolderException(String message, boolean badFolder) {
        super(message);
        this.badFolder = badFolder;
    }

    /** Something in the folder is wrong: the user fixes the folder. */
    static FolderException bad(Object file, String problem) {
        return new FolderException(file + ": " + problem, true);
    }

    /** The folder looked right but building it failed (the compiler, the Docker engine). */
    static FolderException failed(String message) {
        return new FolderException(message, false);
    }

    public boolean badFolder() {
        return badFolder;
    }
}
