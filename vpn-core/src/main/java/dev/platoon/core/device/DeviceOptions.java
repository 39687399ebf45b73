package dev.platoon.core.device;

import java.nio.file.Path;

/**
 * How a device runs, beyond its configuration file.
 *
 * @param queues             tun queues, one loop each
 * @param rekeyAfterSeconds  a shortened REKEY_AFTER_TIME for tests, or null for the protocol's 120 s
 * @param statusFile         where the device writes what {@code platoon show} prints, once a second (or null)
 * @param controlSocket      whether to serve the UAPI control socket for {@code wg}
 */
public record DeviceOptions(int queues, Integer rekeyAfterSeconds, Path statusFile, boolean controlSocket) {
    public DeviceOptions {
        if (queues < 1 || queues > 64) {
            throw new IllegalArgumentException("--queues must be 1..64, not " + queues);
        }
        if (rekeyAfterSeconds != null && rekeyAfterSeconds < 1) {
            throw new IllegalArgumentException("--rekey-after-seconds must be positive");
        }
    }

    public static DeviceOptions defaults() {
        return new DeviceOptions(Runtime.getRuntime().availableProcessors(), null, null, true);
    }

    public DeviceOptions withQueues(int n) {
        return new DeviceOptions(n, rekeyAfterSeconds, statusFile, controlSocket);
    }

    public DeviceOptions withRekeyAfterSeconds(Integer seconds) {
        return new DeviceOptions(queues, seconds, statusFile, controlSocket);
    }

    public DeviceOptions withStatusFile(Path file) {
        return new DeviceOptions(queues, rekeyAfterSeconds, file, controlSocket);
    }

    public DeviceOptions withControlSocket(boolean on) {
        return new DeviceOptions(queues, rekeyAfterSeconds, statusFile, on);
    }
}
