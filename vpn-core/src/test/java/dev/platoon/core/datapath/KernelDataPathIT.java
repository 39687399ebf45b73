package dev.platoon.core.datapath;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import dev.platoon.crypto.AeadEngines;

/**
 * The data-path suite on the kernel: real tun devices and sockets in two network namespaces (root),
 * offloads on and off, each engine that verifies here.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.platoon.core.datapath.MemoryDataPathTest#modes")
class KernelDataPathIT extends DataPathSuite {

    KernelDataPathIT(TunnelPair.Mode mode) {
        super(mode);
    }

    @Override
    TunnelPair open(TunnelPair.Mode mode) throws Exception {
        return new KernelPair(mode);
    }
}
