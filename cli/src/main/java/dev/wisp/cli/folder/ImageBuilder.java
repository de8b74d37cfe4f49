package dev.wisp.cli.folder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds a function folder into an image on the local Docker engine (the {@code docker} CLI, so
 * {@code DOCKER_HOST} picks a cluster's engine), with no registry: the Dockerfile's base images must be on that
 * engine already. The build context is a copy of the folder's {@linkplain FolderFiles checked files} only, and
 * the image is tagged by their content, so an unchanged folder is not rebuilt and a changed one gets a new tag.
 */
final class ImageBuilder {
    /** The image the blackbox runtime runs in: a generated Dockerfile starts from it. */
    static final String BLACKBOX_IMAGE = "wisp/action-blackbox:latest";
    private static final int BUILD_MINUTES = 10;
    /** The classic builder's deprecation notice, four lines of noise on every build. */
    private static final Pattern LEGACY_NOTICE = Pattern.compile(
            "legacy builder is deprecated|BuildKit is currently disabled|^\\s+environment-variable\\.");

    private ImageBuilder() {
    }

    /**
     * @param dockerfile the folder's Dockerfile, or null: one that copies {@code executable} to /action/exec
     * @return the image's tag
     */
    static String build(Path folder, String repository, List<FolderFiles.Entry> files, String dockerfile,
                        String executable, Consumer<String> progress) {
        Path context = null;
        try {
            context = Files.createTempDirectory("wisp-image-");
            for (FolderFiles.Entry e : files) {
                Path to = context.resolve(e.name()).normalize();
                if (!to.startsWith(context)) {
                    throw FolderException.bad(folder.resolve(e.name()), "a name that leaves the folder");
                }
                Files.createDirectories(to.getParent());
                Files.copy(e.source(), to, StandardCopyOption.COPY_ATTRIBUTES);
            }
            if (dockerfile == null) {
                Files.writeString(context.resolve("Dockerfile"), """
                        # made by ./wisp action create for the executable %s
                        FROM %s
                        USER root
                        COPY %s /action/exec
                        RUN chmod 755 /action /action/exec
                        USER 1000:1000
                        """.formatted(executable, BLACKBOX_IMAGE, executable));
            }
            String tag = repository + ":" + hash(files, dockerfile == null ? executable : "").substring(0, 16);
            if (run(List.of("docker", "image", "inspect", "--format", "{{.Id}}", tag), null) == 0) {
                progress.accept("image " + tag + " is up to date");
                return tag;
            }
            checkBaseImages(folder, context.resolve("Dockerfile"));
            progress.accept("building image " + tag + " on the Docker engine"
                    + (System.getenv("DOCKER_HOST") == null ? "" : " at " + System.getenv("DOCKER_HOST")) + " ...");
            int rc = run(List.of("docker", "build", "--label", "wisp.function=" + repository, "-t", tag,
                    context.toString()), line -> {
                if (!line.isBlank() && !LEGACY_NOTICE.matcher(line).find()) {
                    progress.accept("  | " + line);
                }
            });
            if (rc != 0) {
                throw FolderException.failed("docker build of " + folder + " failed (exit " + rc + "); its output"
                        + " is above");
            }
            progress.accept("built image " + tag);
            return tag;
        } catch (IOException e) {
            throw FolderException.failed("building an image of " + folder + " failed: " + e.getMessage());
        } finally {
            delete(context);
        }
    }

    /** Every FROM must name an image the engine has (or an earlier stage, or scratch): nothing is pulled. */
    private static void checkBaseImages(Path folder, Path dockerfile) throws IOException {
        List<String> stages = new ArrayList<>();
        List<String> lines = Files.readAllLines(dockerfile, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String[] words = lines.get(i).trim().split("\\s+");
            if (words.length < 2 || !words[0].equalsIgnoreCase("FROM")) {
                continue;
            }
            int w = 1;
            while (w < words.length && words[w].startsWith("--")) {
                w++;
            }
            if (w >= words.length) {
                continue;
            }
            String image = words[w];
            if (words.length > w + 2 && words[w + 1].equalsIgnoreCase("AS")) {
                stages.add(words[w + 2].toLowerCase());
            }
            if (image.contains("$") || image.equals("scratch") || stages.contains(image.toLowerCase())) {
                continue;
            }
            if (run(List.of("docker", "image", "inspect", "--format", "{{.Id}}", image), null) != 0) {
                throw FolderException.bad(folder.resolve("Dockerfile"), "line " + (i + 1) + ": FROM " + image
                        + " is not an image on the local Docker engine, and Wisp pulls from no registry; start"
                        + " from " + BLACKBOX_IMAGE + " (./wisp setup builds it) or another local image");
            }
        }
    }

    /** Runs a docker command, its output line by line to {@code lines} (null: dropped); its exit code. */
    private static int run(List<String> command, Consumer<String> lines) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DOCKER_BUILDKIT", "0"); // the classic builder: FROM a local image, no registry asked
        try {
            Process p = pb.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (lines != null) {
                        lines.accept(line);
                    }
                }
            }
            if (!p.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw FolderException.failed(String.join(" ", command) + " took more than " + BUILD_MINUTES
                        + " minutes");
            }
            return p.exitValue();
        } catch (IOException e) {
            throw FolderException.failed("cannot run docker (" + e.getMessage() + "); building an image needs the"
                    + " docker CLI and an engine (./wisp setup)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FolderException.failed("interrupted");
        }
    }

    private static String hash(List<FolderFiles.Entry> files, String salt) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt.getBytes(StandardCharsets.UTF_8));
            for (FolderFiles.Entry e : files) {
                sha.update((e.name() + "\0" + e.executable() + "\0").getBytes(StandardCharsets.UTF_8));
                try (var in = Files.newInputStream(e.source())) {
                    byte[] buf = new byte[65536];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        sha.update(buf, 0, n);
                    }
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
