package dev.platoon.core.device;

import java.nio.file.Path;

import dev.platoon.core.peer.ProtocolTimings;

/**
 * How a device runs, beyond its configuration file.
 *
 * @param queues             tun queues, one loop each
 * @param timings            the protocol's timers (tests shorten them to watch a rekey or a give-up)
 * @param statusFile         the liveness file, its time set every second ({@link Liveness}), or null
 * @param controlSocket      whether to serve the UAPI control socket for {@code wg}
 * @param undoFile           where the commands that undo the host changes are written down (or null;
 *                           {@link UndoJournal})
 * @param tap                an L2 tap device instead of a tun ({@code platoon up --tap}; docs/operations.md)
 */
public record DeviceOptions(int queues, ProtocolTimings timings, Path statusFile, boolean controlSocket,
                            Path undoFile, boolean tap) {
    public DeviceOptions {
        if (queues < 1 || queues > 64) {
            throw new IllegalArgumentException("--queues must be 1..64, not " + queues);
        }
    }

    public static DeviceOptions defaults() {
        return new DeviceOptions(Runtime.getRuntime().availableProcessors(), ProtocolTimings.DEFAULT, null, true, null, false);
    }

    public DeviceOptions withQueues(int n) {
        return new DeviceOptions(n, timings, statusFile, controlSocket, undoFile, tap);
    }

    public DeviceOptions withTimings(ProtocolTimings t) {
        return new DeviceOptions(queues, t, statusFile, controlSocket, undoFile, tap);
    }

    public DeviceOptions withStatusFile(Path file) {
        return new DeviceOptions(queues, timings, file, controlSocket, undoFile, tap);
    }

    public DeviceOptions withUndoFile(Path file) {
        return new DeviceOptions(queues, timings, statusFile, controlSocket, file, tap);
    }

    public DeviceOptions withControlSocket(boolean on) {
        return new DeviceOptions(queues, timings, statusFile, on, undoFile, tap);
    }

    public DeviceOptions withTap(boolean on) {
        return new DeviceOptions(queues, timings, statusFile, controlSocket, undoFile, on);
    }
}
