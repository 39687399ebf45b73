package dev.platoon.core.device;

/** A device could not be brought up; the message is one line naming what and why. */
public final class DeviceException extends Exception {
    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
