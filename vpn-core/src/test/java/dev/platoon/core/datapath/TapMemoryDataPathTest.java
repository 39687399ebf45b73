package dev.platoon.core.datapath;

import java.util.List;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The data-path suite with node a in tap mode: an in-memory tap with a host behind it that ARPs and
 * solicits, every engine, offloads on and off. The pair fails a test when the tap dropped a frame or
 * wrote one the host did not expect.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("modes")
class TapMemoryDataPathTest extends DataPathSuite {

    TapMemoryDataPathTest(TunnelPair.Mode mode) {
        super(mode);
    }

    static List<TunnelPair.Mode> modes() {
        return MemoryDataPathTest.modes();
    }

    @Override
    TunnelPair open(TunnelPair.Mode mode) throws Exception {
        return new MemoryPair(mode, true);
    }
}
