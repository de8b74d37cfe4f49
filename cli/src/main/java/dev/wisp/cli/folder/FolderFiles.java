package dev.wisp.cli.folder;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The files of a function folder that may go into an action, found without trusting the folder: links are not
 * followed out of it (a link to a file inside is taken as that file; a link out of the folder or to a directory is
 * skipped with a warning), pipes, sockets and devices are skipped, and sizes are bounded per file, in total and in
 * count, so that neither another file of the user's nor an endless one ends up in an archive or image.
 */
final class FolderFiles {
    /** A file to pack: its path in the archive ({@code /}-separated), where its bytes are, its size. */
    record Entry(String name, Path source, long size, boolean executable) {
    }

    static final long MAX_FILE = 48L * 1024 * 1024;
    static final long MAX_TOTAL = 256L * 1024 * 1024;
    static final int MAX_FILES = 20_000;
    private static final List<String> SKIPPED_DIRS = List.of(".git", ".svn", ".hg");

    private FolderFiles() {
    }

    static List<Entry> collect(Path folder, List<String> leaveOut, Consumer<String> warn) {
        Path root;
        try {
            root = folder.toRealPath();
        } catch (IOException e) {
            throw FolderException.bad(folder, "cannot read the folder (" + e.getMessage() + ")");
        }
        List<Entry> entries = new ArrayList<>();
        long[] total = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(root) && SKIPPED_DIRS.contains(dir.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String name = root.relativize(file).toString().replace('\\', '/');
                    if (leaveOut.contains(name)) {
                        return FileVisitResult.CONTINUE;
                    }
                    Path source = file;
                    if (attrs.isSymbolicLink()) {
                        Path target;
                        try {
                            target = file.toRealPath();
                        } catch (IOException e) {
                            warn.accept("skipped " + name + ": a link to nothing");
                            return FileVisitResult.CONTINUE;
                        }
                        if (!target.startsWith(root)) {
                            warn.accept("skipped " + name + ": a link to outside the folder");
                            return FileVisitResult.CONTINUE;
                        }
                        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                            warn.accept("skipped " + name + ": a link to a directory or special file");
                            return FileVisitResult.CONTINUE;
                        }
                        source = target;
                    } else if (!attrs.isRegularFile()) {
                        warn.accept("skipped " + name + ": not a regular file");
                        return FileVisitResult.CONTINUE;
                    }
                    long size = Files.size(source);
                    if (size > MAX_FILE) {
                        throw FolderException.bad(file, mb(size) + ", more than the " + mb(MAX_FILE)
                                + " a file in a function folder may have");
                    }
                    total[0] += size;
                    if (total[0] > MAX_TOTAL) {
                        throw FolderException.bad(folder, "more than " + mb(MAX_TOTAL)
                                + " of files; a function folder may have at most that");
                    }
                    if (entries.size() >= MAX_FILES) {
                        throw FolderException.bad(folder, "more than " + MAX_FILES
                                + " files; a function folder may have at most that many");
                    }
                    entries.add(new Entry(name, source, size, Files.isExecutable(source)));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    warn.accept("skipped " + root.relativize(file) + ": " + e.getMessage());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw FolderException.bad(folder, "cannot read the folder (" + e.getMessage() + ")");
        }
        entries.sort(Comparator.comparing(Entry::name));
        return entries;
    }

    static String mb(long bytes) {
        return bytes >= 1024 * 1024 ? (bytes / (1024 * 1024)) + " MB" : (bytes + 1023) / 1024 + " KB";
    }
}
