package dev.platoon.bench.tunnel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The CPU a run measured, from {@code /proc/cpuinfo}: its model name and feature flags. ChaCha20-Poly1305
 * speed depends on the vector units (wireguard-go's and OpenSSL's assembly pick AVX2 or AVX-512 paths,
 * and Poly1305 can use the IFMA multiply-add), so a figure means little without them.
 */
record CpuInfo(String model, String flagsLine, Set<String> flags) {
    static final CpuInfo UNKNOWN = new CpuInfo("unknown CPU", "", Set.of());

    /** The flags the cipher paths depend on, in the order the report names them. */
    static final List<String> NOTABLE = List.of("avx2", "avx512f", "avx512vl", "avx512ifma", "avx_ifma");

    static CpuInfo read() {
        try {
            return parse(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    /** The first processor's "model name" and "flags" lines (every core of a machine has the same). */
    static CpuInfo parse(String cpuinfo) {
        String model = null;
        String flagsLine = null;
        for (String line : cpuinfo.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (model == null && key.equals("model name")) {
                model = value;
            } else if (flagsLine == null && key.equals("flags")) {
                flagsLine = value;
            }
        }
        Set<String> flags = new LinkedHashSet<>();
        if (flagsLine != null && !flagsLine.isEmpty()) {
            flags.addAll(List.of(flagsLine.split("\\s+")));
        }
        return new CpuInfo(model == null ? UNKNOWN.model : model, flagsLine == null ? "" : flagsLine, flags);
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    /** "avx2 yes, avx512f no, avx512vl no, avx512ifma no, avx_ifma no", or a note when there were no flags. */
    String notableFlags() {
        if (flags.isEmpty()) {
            return "CPU flags unknown";
        }
        return String.join(", ", NOTABLE.stream().map(f -> f + (has(f) ? " yes" : " no")).toList());
    }
}
