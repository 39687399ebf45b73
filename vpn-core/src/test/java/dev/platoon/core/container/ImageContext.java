package dev.platoon.core.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarFile;

/**
 * The build context of docker/Dockerfile with {@code JAR_FROM=package}: docker/, .dockerignore and the
 * client package's tarball, made here by {@code packaging/build.sh --no-build} from a snapshot of
 * vpn-core/target/platoon.jar (this build's package phase made it) — the same jlink runtime and start-up
 * cache a laptop gets; the cache is trained on a real tunnel in throwaway namespaces, as root.
 */
final class ImageContext {
    private static final Duration PACKAGE = Duration.ofMinutes(6);
    private static final Duration JAR_WAIT = Duration.ofSeconds(120);

    private ImageContext() {
    }

    /** A fresh context under {@code work}; fails with the packaging script's last lines when it fails. */
    static Path make(Podman podman, Path work) throws IOException {
        Path root = repoRoot();
        Path context = work.resolve("context");
        Files.createDirectories(context.resolve("docker"));
        try (var files = Files.list(root.resolve("docker"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, context.resolve("docker").resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Files.copy(root.resolve(".dockerignore"), context.resolve(".dockerignore"));
        Path jar = snapshotJar(root, work.resolve("jar/platoon.jar"));
        Path out = work.resolve("package");
        long t0 = System.nanoTime();
        Path tarball = null;
        // The training's pings can miss on a busy machine (packaging/aot-train.sh then makes no cache): once more.
        for (int attempt = 1; tarball == null; attempt++) {
            podman.run(Duration.ofMinutes(1), List.of("rm", "-rf", "--one-file-system", out.toString()));
            Podman.Result built = podman.run(PACKAGE, List.of("env", "JAVA_HOME=" + System.getProperty("java.home"),
                    "bash", root.resolve("packaging/build.sh").toString(), "--no-build", "--jar", jar.toString(),
                    "--out", out.toString())).orThrow();
            boolean cached = built.stderr().contains("start-up cache: ") && !built.stderr().contains("start-up cache: none");
            if (!cached && attempt < 2) {
                System.out.println("[container] the package has no start-up cache, again: " + Podman.tail(built.stderr(), 4));
                continue;
            }
            if (!cached) {
                throw new IllegalStateException("the package has no start-up cache: " + Podman.tail(built.stderr(), 6));
            }
            tarball = built.stdout().lines().map(Path::of)
                    .filter(p -> p.getFileName().toString().endsWith("-linux-x64.tar.gz")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("packaging/build.sh named no tarball: " + built.stdout()));
        }
        System.out.printf("[container] client package %s in %d s%n", tarball.getFileName(),
                (System.nanoTime() - t0) / 1_000_000_000L);
        Path target = context.resolve("packaging/target");
        Files.createDirectories(target);
        Files.copy(tarball, target.resolve(tarball.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        podman.run(Duration.ofMinutes(1), List.of("rm", "-rf", "--one-file-system", out.toString()));
        return context;
    }

    /**
     * A copy of vpn-core/target/platoon.jar, checked as a jar because in a shared working tree someone
     * else's build may be rewriting it; a torn copy is taken again.
     */
    private static Path snapshotJar(Path root, Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        Path source = root.resolve("vpn-core/target/platoon.jar");
        long deadline = System.nanoTime() + JAR_WAIT.toNanos();
        while (true) {
            try {
                Files.copy(source, jar, StandardCopyOption.REPLACE_EXISTING);
                try (JarFile j = new JarFile(jar.toFile())) {
                    if ("dev.platoon.core.cli.Main".equals(j.getManifest().getMainAttributes().getValue("Main-Class"))
                            && j.getEntry("dev/platoon/core/cli/Main.class") != null) {
                        return jar;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // torn or missing: try again until the deadline
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no complete " + source + " within " + JAR_WAIT.toSeconds()
                        + " s (run the package phase first)");
            }
            try {
                Thread.sleep(500); // polling a file another process writes; the deadline above bounds it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + source, e);
            }
        }
    }

    private static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker/Dockerfile")) && Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("no docker/Dockerfile above " + Path.of("").toAbsolutePath());
    }
}
