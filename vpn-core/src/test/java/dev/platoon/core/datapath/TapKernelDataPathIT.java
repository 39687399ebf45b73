package dev.platoon.core.datapath;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The data-path suite on the kernel with node a in tap mode (root): a's tap and a veth to a "VM"
 * namespace on one bridge, the VM holding a's tunnel addresses; offloads on and off, each engine.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.platoon.core.datapath.MemoryDataPathTest#modes")
class TapKernelDataPathIT extends DataPathSuite {

    TapKernelDataPathIT(TunnelPair.Mode mode) {
        super(mode);
    }

    @Override
    TunnelPair open(TunnelPair.Mode mode) throws Exception {
        return new KernelPair(mode, true);
    }
}
