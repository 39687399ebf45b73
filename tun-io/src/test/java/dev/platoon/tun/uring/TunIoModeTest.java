package dev.platoon.tun.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platoon.tun.TunException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing io_uring, and falling back to epoll with one log line when the kernel refuses it. */
class TunIoModeTest {
    /** What io_uring_setup returns under kernel.io_uring_disabled=2 (or 1 for a process outside its group). */
    private static final IoUring.SetupCall EPERM = (entries, params, errno) -> -Sys.EPERM;

    @Test
    void refusedSetupFallsBackToEpollWithOneLine() {
        List<String> log = new ArrayList<>();
        assertEquals(TunIoMode.EPOLL, TunIoMode.URING.resolve(EPERM, log::add));
        assertEquals(1, log.size(), log.toString());
        String line = log.get(0);
        assertTrue(line.contains("io_uring_setup") && line.contains("errno 1") && line.contains("epoll"), line);
        assertTrue(line.contains("io_uring_disabled"), "names the usual cause: " + line);
        assertTrue(!line.contains("\n"), "one line: " + line);
    }

    @Test
    void setupErrorCarriesErrno() {
        TunException e = assertThrows(TunException.class, () -> IoUring.open(8, EPERM));
        assertEquals(Sys.EPERM, e.errno());
    }

    /** Flags a kernel before 6.1 does not know: EINVAL, then a plain ring is asked for. */
    @Test
    void unknownFlagsRetryWithoutThem() {
        int[] calls = {0};
        List<Integer> flags = new ArrayList<>();
        IoUring.SetupCall old = (entries, params, errno) -> {
            calls[0]++;
            flags.add(params.get(java.lang.foreign.ValueLayout.JAVA_INT, 8));
            return calls[0] == 1 ? -Sys.EINVAL : -Sys.ENOSYS;
        };
        List<String> log = new ArrayList<>();
        assertEquals(TunIoMode.EPOLL, TunIoMode.URING.resolve(old, log::add));
        assertEquals(List.of(IoUring.SETUP_SINGLE_ISSUER | IoUring.SETUP_DEFER_TASKRUN | IoUring.SETUP_SUBMIT_ALL, 0),
                flags);
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("without io_uring"), log.get(0));
    }

    @Test
    void epollNeedsNoProbe() {
        List<String> log = new ArrayList<>();
        assertEquals(TunIoMode.EPOLL, TunIoMode.EPOLL.resolve(EPERM, log::add));
        assertTrue(log.isEmpty());
    }

    /** This kernel has io_uring (CI and the developers' machines): a real ring opens and closes. */
    @Test
    void realKernelGivesARing() throws Exception {
        try (IoUring ring = IoUring.open(8)) {
            assertTrue(ring.sqEntries() >= 8);
            assertTrue(ring.write(-1, 0, 0, 7L));
            assertEquals(1, ring.enter(1, 1_000_000_000L));
            assertEquals(1, ring.ready());
            assertEquals(7L, ring.userData(0));
            assertEquals(-Sys.EBADF, ring.result(0), "a write to fd -1");
            ring.consume(1);
            assertEquals(0, ring.ready());
        }
    }

    @Test
    void parse() {
        assertEquals(TunIoMode.EPOLL, TunIoMode.parse(null));
        assertEquals(TunIoMode.URING, TunIoMode.parse(" uring"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TunIoMode.parse("aio"));
        assertTrue(e.getMessage().contains("'aio'"), e.getMessage());
    }
}
