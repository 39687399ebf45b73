package dev.platoon.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * OpenSSL's libcrypto, found at run time, and the handful of EVP calls the transport AEAD needs. Only
 * the stable EVP API is used (present from OpenSSL 1.1.0 through 3.x), so any distribution's
 * libcrypto serves; the sonames are tried newest first.
 *
 * <p>Pointer arguments are declared as {@code long}: on the 64-bit ABIs platoon runs on a pointer is
 * passed exactly like a 64-bit integer, and a {@code long} address costs no {@link MemorySegment}
 * object per call. The calls are short and never block, so they are linked {@code critical}: no
 * thread-state transition around each of the four calls per packet.
 *
 * <p>Loading this class never throws: {@link #REASON} says why the library is unusable.
 */
final class OpenSslLibrary {
    /** Sonames tried in order; the first that loads is used. */
    static final String[] SONAMES = {"libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so"};

    static final int EVP_CTRL_AEAD_GET_TAG = 0x10;
    static final int EVP_CTRL_AEAD_SET_TAG = 0x11;

    /** Null when usable, else one line saying why not. */
    static final String REASON;
    /** "OpenSSL 3.0.19 27 Jan 2026" and the soname, or null. */
    static final String VERSION;

    static final MethodHandle CTX_NEW; // EVP_CIPHER_CTX *EVP_CIPHER_CTX_new(void)
    static final MethodHandle CTX_FREE; // void EVP_CIPHER_CTX_free(ctx)
    static final MethodHandle CIPHER_INIT; // int EVP_CipherInit_ex(ctx, cipher, engine, key, iv, enc)
    static final MethodHandle CIPHER_UPDATE; // int EVP_CipherUpdate(ctx, out, int *outl, in, int inl)
    static final MethodHandle CIPHER_FINAL; // int EVP_CipherFinal_ex(ctx, out, int *outl)
    static final MethodHandle CTX_CTRL; // int EVP_CIPHER_CTX_ctrl(ctx, int type, int arg, void *ptr)
    /** int EVP_CIPHER_CTX_get_params(ctx, OSSL_PARAM *), 3.x only, else null. */
    static final MethodHandle CTX_GET_PARAMS;
    /** int EVP_CIPHER_CTX_set_params(ctx, const OSSL_PARAM *), 3.x only, else null. */
    static final MethodHandle CTX_SET_PARAMS;
    /** The EVP_CIPHER for ChaCha20-Poly1305 (fetched once on 3.x, the built-in table entry on 1.1). */
    static final long CHACHA20_POLY1305;

    static {
        String reason = null;
        String version = null;
        MethodHandle ctxNew = null, ctxFree = null, init = null, update = null, fin = null, ctrl = null;
        MethodHandle getParams = null, setParams = null;
        long cipher = 0;
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup lib = null;
            String soname = null;
            for (String name : SONAMES) {
                try {
                    lib = SymbolLookup.libraryLookup(name, Arena.global());
                    soname = name;
                    break;
                } catch (IllegalArgumentException notThere) {
                    // try the next soname
                }
            }
            if (lib == null) {
                throw new UnsupportedOperationException("no libcrypto found (tried " + String.join(", ", SONAMES)
                        + "; Debian/Ubuntu: apt-get install libssl3, Fedora: dnf install openssl-libs)");
            }
            ValueLayout.OfLong ptr = ValueLayout.JAVA_LONG;
            ValueLayout.OfInt i32 = ValueLayout.JAVA_INT;
            Linker.Option critical = Linker.Option.critical(false);
            SymbolLookup l = lib;
            java.util.function.Function<String, MemorySegment> sym = n -> l.find(n)
                    .orElseThrow(() -> new UnsupportedOperationException("libcrypto has no " + n));
            ctxNew = linker.downcallHandle(sym.apply("EVP_CIPHER_CTX_new"), FunctionDescriptor.of(ptr));
            ctxFree = linker.downcallHandle(sym.apply("EVP_CIPHER_CTX_free"), FunctionDescriptor.ofVoid(ptr));
            init = linker.downcallHandle(sym.apply("EVP_CipherInit_ex"),
                    FunctionDescriptor.of(i32, ptr, ptr, ptr, ptr, ptr, i32), critical);
            update = linker.downcallHandle(sym.apply("EVP_CipherUpdate"),
                    FunctionDescriptor.of(i32, ptr, ptr, ptr, ptr, i32), critical);
            fin = linker.downcallHandle(sym.apply("EVP_CipherFinal_ex"),
                    FunctionDescriptor.of(i32, ptr, ptr, ptr), critical);
            ctrl = linker.downcallHandle(sym.apply("EVP_CIPHER_CTX_ctrl"),
                    FunctionDescriptor.of(i32, ptr, i32, i32, ptr), critical);
            if (lib.find("EVP_CIPHER_CTX_get_params").isPresent() && lib.find("EVP_CIPHER_CTX_set_params").isPresent()) {
                getParams = linker.downcallHandle(sym.apply("EVP_CIPHER_CTX_get_params"),
                        FunctionDescriptor.of(i32, ptr, ptr), critical);
                setParams = linker.downcallHandle(sym.apply("EVP_CIPHER_CTX_set_params"),
                        FunctionDescriptor.of(i32, ptr, ptr), critical);
            }
            cipher = chaCha20Poly1305(linker, l);
            if (cipher == 0) {
                throw new UnsupportedOperationException("libcrypto has no ChaCha20-Poly1305");
            }
            version = versionText(linker, l) + " (" + soname + ")";
        } catch (UnsupportedOperationException e) {
            reason = e.getMessage();
        } catch (Throwable e) { // IllegalCallerException without --enable-native-access, linkage, ...
            reason = "libcrypto could not be linked: " + e;
        }
        REASON = reason;
        VERSION = version;
        CTX_NEW = ctxNew;
        CTX_FREE = ctxFree;
        CIPHER_INIT = init;
        CIPHER_UPDATE = update;
        CIPHER_FINAL = fin;
        CTX_CTRL = ctrl;
        CTX_GET_PARAMS = getParams;
        CTX_SET_PARAMS = setParams;
        CHACHA20_POLY1305 = cipher;
    }

    private OpenSslLibrary() {
    }

    /**
     * OpenSSL 3's EVP_CIPHER_fetch gives an explicitly fetched cipher, which spares the implicit fetch
     * the legacy EVP_chacha20_poly1305() pointer would cost at every init that names it; 1.1 has only
     * the latter.
     */
    private static long chaCha20Poly1305(Linker linker, SymbolLookup lib) throws Throwable {
        var fetch = lib.find("EVP_CIPHER_fetch");
        if (fetch.isPresent()) {
            MethodHandle h = linker.downcallHandle(fetch.get(), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            try (Arena a = Arena.ofConfined()) {
                long c = (long) h.invokeExact(0L, a.allocateFrom("ChaCha20-Poly1305"), 0L);
                if (c != 0) {
                    return c;
                }
            }
        }
        var legacy = lib.find("EVP_chacha20_poly1305")
                .orElseThrow(() -> new UnsupportedOperationException("libcrypto has no EVP_chacha20_poly1305"));
        MethodHandle h = linker.downcallHandle(legacy, FunctionDescriptor.of(ValueLayout.JAVA_LONG));
        return (long) h.invokeExact();
    }

    /** OpenSSL_version(OPENSSL_VERSION) on 1.1+, else "OpenSSL". */
    private static String versionText(Linker linker, SymbolLookup lib) throws Throwable {
        var f = lib.find("OpenSSL_version");
        if (f.isEmpty()) {
            return "OpenSSL";
        }
        MethodHandle h = linker.downcallHandle(f.get(), FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        MemorySegment s = (MemorySegment) h.invokeExact(0);
        return s.reinterpret(256).getString(0);
    }
}
