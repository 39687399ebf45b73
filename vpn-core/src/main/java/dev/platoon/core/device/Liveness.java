package dev.platoon.core.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;

/**
 * The liveness file of a running interface ({@code /run/platoon/NAME.status}): a few lines written once
 * at {@code up}, whose modification time the timer thread sets every second — one {@code utimensat},
 * whatever the number of peers. A health check without a JVM ({@code find -newermt}) sees a process
 * whose timers stopped by a stale time. The status itself is rendered when asked ({@code platoon show},
 * {@link DeviceStatus}).
 */
final class Liveness {
    private Liveness() {
    }

    static void write(Path file, String name) {
        String text = name + " is up (pid " + ProcessHandle.current().pid() + ").\n"
                + "This file's time is set every second while it runs; 'platoon show " + name + "' asks the"
                + " process for its status over /var/run/wireguard/" + name + ".sock.\n";
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Device.LOG.warning("liveness file " + file + " not written: " + Device.oneLine(e));
        }
    }

    /**
     * Sets the file's time; a file someone removed stays removed (recreating it could race the
     * teardown's delete and leave a file behind for a process that is gone).
     */
    static void beat(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException | RuntimeException e) {
            Device.LOG.fine("liveness file " + file + " not touched: " + Device.oneLine(e));
        }
    }
}
