package dev.platoon.core.container;

import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import dev.platoon.testkit.Proc;

/**
 * A runtime base image made without a registry, standing in for {@code debian:trixie-slim}: Debian
 * bookworm from {@code debootstrap --variant=minbase} (with iproute2 and libssl3, which the Dockerfile
 * wants, and ping for the test) plus a {@code jlink}ed Java 25 from the JDK running the test (Temurin
 * 25's jlink links from its own runtime, no jmods needed), imported with {@code podman import}. The
 * image runs platoon on its own runtime from the client package, not on this Java (ContainerIT checks
 * the server's executable); this one stays because the cached base's tag hashes the recipe.
 * debootstrap takes about two minutes, so the image stays in podman's store under a tag that hashes its
 * recipe and the JDK's release file; a later run with the same recipe reuses it, a changed recipe builds
 * a new one and drops the old tags.
 */
final class TestBaseImage {
    static final String REPOSITORY = "localhost/platoon-test-base";
    /** Bump when the recipe below changes in a way the hash does not see. */
    private static final String RECIPE = "platoon-test-base v1";
    private static final String SUITE = "bookworm";
    /**
     * What the Dockerfile would otherwise apt-get (it builds with {@code --network none} here): iproute2
     * and libssl3 (libcrypto.so.3 for the native cipher engine), tini (PID 1) and nftables (PLATOON_NAT);
     * and ping for the test.
     */
    private static final List<String> PACKAGES = List.of("iproute2", "libssl3", "tini", "nftables", "iputils-ping");
    /**
     * java.se and the jdk.* modules platoon, Netty and Micrometer use, rather than jdeps' answer for
     * today's jar: the real base is a full JRE, and a fixed list keeps the cache key stable across
     * builds of the jar (jdeps on the shaded jar also costs ~30 s).
     */
    private static final List<String> MODULES = List.of("java.se", "jdk.unsupported", "jdk.crypto.ec",
            "jdk.httpserver", "jdk.management", "jdk.jfr", "jdk.net", "jdk.zipfs");
    private static final String PATH_ENV = "/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private TestBaseImage() {
    }

    /** The tag of the base image, built now when podman's store does not have it. */
    static String ensure(Podman podman, Path workDir) throws IOException {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path jlink = javaHome.resolve("bin/jlink");
        if (!Files.isExecutable(jlink)) {
            throw new IllegalStateException("no jlink in " + javaHome + ": run the tests with a JDK 25 (JAVA_HOME)");
        }
        List<String> modules = MODULES.stream().filter(m -> ModuleFinder.ofSystem().find(m).isPresent()).toList();
        String tag = REPOSITORY + ":" + key(javaHome, modules);
        if (podman.podman(Duration.ofSeconds(30), "image", "exists", tag).ok()) {
            System.out.println("[container] cached base image " + tag);
            return tag;
        }
        long t0 = System.nanoTime();
        Path rootfs = workDir.resolve("rootfs");
        try {
            String mirror = System.getProperty("platoon.test.debianMirror", "http://deb.debian.org/debian");
            podman.run(Duration.ofMinutes(10), List.of("debootstrap", "--variant=minbase",
                    "--include=" + String.join(",", PACKAGES), SUITE, rootfs.toString(), mirror)).orThrow();
            podman.run(Duration.ofMinutes(3), List.of(jlink.toString(), "--add-modules", String.join(",", modules),
                    "--strip-debug", "--no-header-files", "--no-man-pages",
                    "--output", rootfs.resolve("opt/java").toString())).orThrow();
            podman.run(Duration.ofMinutes(5), List.of("bash", "-o", "pipefail", "-c",
                    "tar -C \"$0\" -c . | podman import --change \"ENV PATH=$1\" --change 'ENV JAVA_HOME=/opt/java'"
                            + " - \"$2\"", rootfs.toString(), PATH_ENV, tag)).orThrow();
        } finally {
            podman.run(Duration.ofMinutes(2), List.of("rm", "-rf", "--one-file-system", rootfs.toString()));
        }
        System.out.printf("[container] built base image %s in %d s%n", tag, (System.nanoTime() - t0) / 1_000_000_000L);
        dropOtherTags(podman, tag);
        return tag;
    }

    /** Older test bases (another recipe or JDK) only take space: remove them, best effort. */
    private static void dropOtherTags(Podman podman, String keep) {
        Proc.Result list = podman.podman(Duration.ofSeconds(30), "images", "--format",
                "{{.Repository}}:{{.Tag}}", REPOSITORY);
        list.stdout().lines().map(String::strip).filter(t -> t.startsWith(REPOSITORY + ":") && !t.equals(keep))
                .forEach(t -> podman.podman(Duration.ofSeconds(60), "rmi", t));
    }

    private static String key(Path javaHome, List<String> modules) throws IOException {
        Path release = javaHome.resolve("release");
        String jdk = Files.exists(release) ? Files.readString(release) : System.getProperty("java.runtime.version");
        String recipe = String.join("\n", RECIPE, SUITE, String.join(",", PACKAGES), String.join(",", modules),
                PATH_ENV, jdk);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(recipe.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
