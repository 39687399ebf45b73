package dev.platoon.core.device;

/**
 * How a device runs, beyond its configuration file.
 *
 * @param queues             tun queues, one loop each
 * @param rekeyAfterSeconds  a shortened REKEY_AFTER_TIME for tests, or null for the protocol's 120 s
 */
public record DeviceOptions(int queues, Integer rekeyAfterSeconds) {
    public DeviceOptions {
        if (queues < 1 || queues > 64) {
            throw new IllegalArgumentException("--queues must be 1..64, not " + queues);
        }
        if (rekeyAfterSeconds != null && rekeyAfterSeconds < 1) {
            throw new IllegalArgumentException("--rekey-after-seconds must be positive");
        }
    }

    public static DeviceOptions defaults() {
        return new DeviceOptions(Runtime.getRuntime().availableProcessors(), null);
    }

    public DeviceOptions withQueues(int n) {
        return new DeviceOptions(n, rekeyAfterSeconds);
    }

    public DeviceOptions withRekeyAfterSeconds(Integer seconds) {
        return new DeviceOptions(queues, seconds);
    }
}
