package dev.platoon.crypto;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Lowers the calling thread to nice 19, so that it runs on what the data path leaves idle. Linux
 * keeps a nice value per thread ({@code setpriority(PRIO_PROCESS, gettid(), 19)}); Java's own thread
 * priorities are ignored there. Best effort: false where libc lacks the calls.
 */
final class LowPriority {
    private static final int PRIO_PROCESS = 0;
    private static final int NICEST = 19;

    private LowPriority() {
    }

    static boolean lowerThisThread() {
        try {
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            var gettid = libc.find("gettid");
            var setpriority = libc.find("setpriority");
            if (gettid.isEmpty() || setpriority.isEmpty()) {
                return false;
            }
            MethodHandle tid = linker.downcallHandle(gettid.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT));
            MethodHandle nice = linker.downcallHandle(setpriority.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return (int) nice.invokeExact(PRIO_PROCESS, (int) tid.invokeExact(), NICEST) == 0;
        } catch (Throwable e) {
            return false;
        }
    }
}
