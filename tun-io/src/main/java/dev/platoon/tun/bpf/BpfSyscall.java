package dev.platoon.tun.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The bpf(2) system call through the JDK's foreign function API: libc has no wrapper for it, so it
 * goes through {@code syscall(SYS_bpf, cmd, attr, size)} with errno captured by the linker. Only
 * {@code BPF_PROG_LOAD} is used; setup runs once per device, never on the data path.
 */
public final class BpfSyscall {
    /** bpf_prog_type: a program over an skb, the type TUNSETSTEERINGEBPF takes. */
    public static final int PROG_TYPE_SOCKET_FILTER = 1;
    public static final int EPERM = 1, EINVAL = 22, ENOSYS = 38;

    private static final int BPF_PROG_LOAD = 5;
    /** The part of union bpf_attr that BPF_PROG_LOAD reads up to prog_name (the kernel zero-fills the rest). */
    private static final int ATTR_SIZE = 64;
    private static final int LOG_SIZE = 64 * 1024;

    private static final MethodHandle SYSCALL;
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final long SYS_BPF = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 321;
        case "aarch64" -> 280;
        default -> -1;
    };

    /** Null when usable, else why not (no libc syscall(), or native access denied to this module). */
    private static final String UNUSABLE;

    static {
        MethodHandle h = null;
        String why = null;
        try {
            Linker linker = Linker.nativeLinker();
            h = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                    Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
        } catch (RuntimeException e) {
            why = "no syscall() to call bpf(2) through: " + e;
        }
        SYSCALL = h;
        UNUSABLE = why;
    }

    private BpfSyscall() {}

    /** A refused load: the errno and the verifier's last line (when it wrote one). */
    public static final class LoadException extends Exception {
        private final int errno;

        LoadException(String message, int errno) {
            super(message);
            this.errno = errno;
        }

        public int errno() { return errno; }
    }

    /**
     * Loads {@code insns} (from {@link BpfAssembler#assemble()}) and returns the program's fd, which the
     * caller closes. On a refusal the load is repeated with the verifier log on, so the exception says
     * which instruction the verifier stopped at.
     */
    public static int loadProgram(int type, byte[] insns, String license, String name) throws LoadException {
        if (UNUSABLE != null) {
            throw new LoadException(UNUSABLE, ENOSYS);
        }
        if (SYS_BPF < 0) {
            throw new LoadException("bpf(2) has no known syscall number on " + System.getProperty("os.arch"), ENOSYS);
        }
        try (Arena arena = Arena.ofConfined()) {
            long fd = load(arena, type, insns, license, name, MemorySegment.NULL);
            if (fd >= 0) {
                return (int) fd;
            }
            int errno = (int) -fd;
            MemorySegment log = arena.allocate(LOG_SIZE);
            load(arena, type, insns, license, name, log);
            String verifier = lastLine(log.getString(0, StandardCharsets.US_ASCII));
            throw new LoadException("bpf(BPF_PROG_LOAD) of " + name + " (" + insns.length / 8 + " instructions) failed: "
                    + errnoName(errno) + (verifier.isEmpty() ? "" : "; verifier: " + verifier), errno);
        }
    }

    /** The fd, or -errno. */
    private static long load(Arena arena, int type, byte[] insns, String license, String name, MemorySegment log) {
        MemorySegment code = arena.allocate(insns.length, 8);
        MemorySegment.copy(insns, 0, code, ValueLayout.JAVA_BYTE, 0, insns.length);
        MemorySegment lic = arena.allocateFrom(license, StandardCharsets.US_ASCII);
        MemorySegment attr = arena.allocate(ATTR_SIZE, 8); // zeroed
        attr.set(ValueLayout.JAVA_INT, 0, type);
        attr.set(ValueLayout.JAVA_INT, 4, insns.length / 8);
        attr.set(ValueLayout.JAVA_LONG, 8, code.address());
        attr.set(ValueLayout.JAVA_LONG, 16, lic.address());
        if (log != MemorySegment.NULL) {
            attr.set(ValueLayout.JAVA_INT, 24, 1); // log_level
            attr.set(ValueLayout.JAVA_INT, 28, (int) log.byteSize());
            attr.set(ValueLayout.JAVA_LONG, 32, log.address());
        }
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(n, 0, attr, ValueLayout.JAVA_BYTE, 48, Math.min(n.length, 15));
        MemorySegment state = arena.allocate(CAPTURE);
        try {
            long r = (long) SYSCALL.invokeExact(state, SYS_BPF, BPF_PROG_LOAD, attr, ATTR_SIZE);
            return r >= 0 ? r : -(int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("bpf(2) call failed: " + t, t);
        }
    }

    static String errnoName(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM (needs CAP_BPF or CAP_SYS_ADMIN, or kernel.unprivileged_bpf_disabled)";
            case EINVAL -> "EINVAL";
            case ENOSYS -> "ENOSYS (kernel without CONFIG_BPF_SYSCALL)";
            case 7 -> "E2BIG";
            case 13 -> "EACCES (the verifier refused the program)";
            default -> "errno " + errno;
        };
    }

    /** The verifier's reason: its last line that is not one of the statistics it ends with. */
    private static String lastLine(String log) {
        String[] lines = log.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].strip();
            if (!l.isEmpty() && !l.startsWith("processed ") && !l.startsWith("verification time")
                    && !l.startsWith("stack depth")) {
                return l;
            }
        }
        return "";
    }
}
