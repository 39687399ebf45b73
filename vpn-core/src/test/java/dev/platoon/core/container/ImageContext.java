package dev.platoon.core.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarFile;
import dev.platoon.testkit.Proc;

/**
 * The build context of docker/Dockerfile with {@code JAR_FROM=package}: docker/, .dockerignore and a
 * tarball laid out as the client package's, from a snapshot of
 * vpn-core/target/platoon.jar (this build's package phase made it): the runtime linked by
 * docker/jlink-app.sh (what the image's own build stage runs, with packaging/build.sh's module lists)
 * and the start-up cache trained on it by packaging/aot-train.sh, as packaging/build.sh trains the
 * package's — on a real tunnel in throwaway namespaces, as root. packaging/build.sh itself is not
 * called: its jpackage and .deb steps, which the image does not use, took minutes more on a busy machine.
 */
final class ImageContext {
    private static final Duration LINK = Duration.ofMinutes(5);
    private static final Duration TRAIN = Duration.ofMinutes(5);
    private static final Duration JAR_WAIT = Duration.ofSeconds(120);

    private ImageContext() {
    }

    /** A fresh context under {@code work}; fails with a script's last lines when one fails. */
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
        Path app = work.resolve("app");
        String jdkBin = Path.of(System.getProperty("java.home"), "bin").toString();
        long t0 = System.nanoTime();
        podman.run(LINK, List.of("env", "PATH=" + jdkBin + ":" + System.getenv("PATH"), "bash",
                root.resolve("docker/jlink-app.sh").toString(), jar.toString(), app.resolve("platoon").toString()))
                .orThrow();
        long tLinked = System.nanoTime();
        // The training's pings can miss on a busy machine (aot-train.sh exits 1, no cache): once more.
        Path cache = app.resolve("platoon/lib/app/platoon.aot");
        List<String> train = List.of("bash", root.resolve("packaging/aot-train.sh").toString(), cache.toString(),
                app.resolve("platoon/bin/platoon").toString());
        Proc.Result trained = podman.run(TRAIN, train);
        if (!trained.ok()) {
            System.out.println("[container] no start-up cache, training again: " + Podman.tail(trained.stderr(), 3));
            trained = podman.run(TRAIN, train).orThrow();
        }
        Path target = context.resolve("packaging/target");
        Files.createDirectories(target);
        podman.run(LINK, List.of("tar", "-C", app.toString(), "--owner=0", "--group=0", "-czf",
                target.resolve("platoon-test-linux-x64.tar.gz").toString(), "platoon")).orThrow();
        System.out.printf("[container] app as the client package lays it out: jlink %d s, start-up cache %d s%n",
                (tLinked - t0) / 1_000_000_000L, (System.nanoTime() - tLinked) / 1_000_000_000L);
        podman.run(Duration.ofMinutes(1), List.of("rm", "-rf", "--one-file-system", app.toString()));
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
