package dev.platoon.core.datapath;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import dev.platoon.crypto.AeadEngines;

/** The data-path suite in memory: no root, no kernel, every engine this JVM has, offloads on and off. */
@ParameterizedClass(name = "{0}")
@MethodSource("modes")
class MemoryDataPathTest extends DataPathSuite {

    MemoryDataPathTest(TunnelPair.Mode mode) {
        super(mode);
    }

    static List<TunnelPair.Mode> modes() {
        List<TunnelPair.Mode> modes = new ArrayList<>();
        for (AeadEngines.Kind engine : AeadEngines.Kind.values()) {
            if (AeadEngines.unavailable(engine) == null) {
                modes.add(new TunnelPair.Mode(true, engine));
                modes.add(new TunnelPair.Mode(false, engine));
            }
        }
        return modes;
    }

    @Override
    TunnelPair open(TunnelPair.Mode mode) throws Exception {
        return new MemoryPair(mode);
    }
}
