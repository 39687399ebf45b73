package dev.platoon.core.uapi;

import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * Runs one framed request against the device and produces the complete response text. Never throws:
 * every failure becomes an {@code errno=} line, and the reason is logged on one line (no stack trace,
 * no key material). A set request is parsed and validated in full before {@link UapiDevice#apply}
 * is called, so a malformed request changes nothing.
 */
final class UapiDispatcher {
    private static final System.Logger LOG = System.getLogger(UapiDispatcher.class.getName());

    private final String interfaceName;
    private final UapiDevice device;

    UapiDispatcher(String interfaceName, UapiDevice device) {
        this.interfaceName = interfaceName;
        this.device = Objects.requireNonNull(device, "device");
    }

    /** The response to write, ending in {@code errno=N\n\n}. */
    String handle(UapiRequest request) {
        return switch (request) {
            case UapiRequest.Get get -> get();
            case UapiRequest.Show show -> show();
            case UapiRequest.Set set -> UapiText.status(set(set));
            case UapiRequest.Malformed bad -> {
                LOG.log(Level.WARNING, "{0}: UAPI request refused ({1}): {2}", interfaceName,
                        UapiErrno.name(bad.errno()), bad.reason());
                yield UapiText.status(bad.errno());
            }
        };
    }

    private String get() {
        try {
            return UapiText.formatGet(device.snapshot()) + UapiText.status(UapiErrno.OK);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "{0}: UAPI get failed: {1}", interfaceName, e.toString());
            return UapiText.status(UapiErrno.UNKNOWN);
        }
    }

    private String show() {
        try {
            String text = device.status();
            return text == null ? UapiText.status(UapiErrno.INVALID)
                    : UapiText.formatShow(text) + UapiText.status(UapiErrno.OK);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "{0}: UAPI show failed: {1}", interfaceName, e.toString());
            return UapiText.status(UapiErrno.UNKNOWN);
        }
    }

    private int set(UapiRequest.Set set) {
        UapiSetRequest parsed;
        try {
            parsed = UapiSetParser.parse(set.lines());
        } catch (UapiException e) {
            LOG.log(Level.WARNING, "{0}: UAPI set refused ({1}): {2}", interfaceName,
                    UapiErrno.name(e.errno()), e.getMessage());
            return e.errno();
        }
        try {
            device.apply(parsed);
            return UapiErrno.OK;
        } catch (UapiException e) {
            LOG.log(Level.WARNING, "{0}: UAPI set not applied ({1}): {2}", interfaceName,
                    UapiErrno.name(e.errno()), e.getMessage());
            return e.errno();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "{0}: UAPI set failed inside the device: {1}", interfaceName, e.toString());
            return UapiErrno.UNKNOWN;
        }
    }
}
