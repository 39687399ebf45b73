package dev.platoon.config;

import java.util.Base64;
import java.util.Random;

/** Deterministic keys for tests (any 32 bytes are a valid key to the parser). */
final class TestKeys {
    /** From the wg(8) man page. */
    static final String PRIVATE = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
    static final String PEER1 = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    static final String PEER2 = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";
    static final String PEER3 = "gN65BkIKy1eCE9pP1wdc8ROUtkHLF2PfAqYdyYBz6EA=";

    private TestKeys() {}

    static String key(long seed) {
        byte[] b = new byte[32];
        new Random(seed).nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }
}
