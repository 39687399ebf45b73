package dev.platoon.bench.tun;

import dev.platoon.tun.Steering;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One configuration of the reflector benchmark: what echoes ({@code split}: platoon's
 * {@code Reflector}, split + swap + coalesce; {@code train}: {@link TrainEcho}, the tap notes' echo),
 * offloads, queue count, steering, IFF_NAPI and iperf3 streams.
 */
record ReflectorVariant(String echo, boolean offloads, int queues, Steering steering, boolean napi, int streams) {
    String label() {
        return echo + ", offloads " + (offloads ? "on" : "off") + ", " + queues + (queues == 1 ? " queue" : " queues")
                + (queues > 1 ? ", steering " + steering.name().toLowerCase() : "") + (napi ? ", napi" : "")
                + ", " + streams + (streams == 1 ? " stream" : " streams");
    }

    /** Every combination of the comma lists in {@code opts}; eBPF steering only where there are 2+ queues. */
    static List<ReflectorVariant> matrix(Map<String, String> opts) {
        List<ReflectorVariant> out = new ArrayList<>();
        for (String echo : list(opts, "echo", "split")) {
            for (String off : list(opts, "offloads", "on,off")) {
                for (String q : list(opts, "queues", "1")) {
                    for (String st : list(opts, "steering", "kernel")) {
                        for (String napi : list(opts, "napi", "off")) {
                            for (String s : list(opts, "streams", "1")) {
                                Steering steering = Steering.valueOf(st.toUpperCase());
                                int queues = Integer.parseInt(q);
                                if (queues == 1 && steering != Steering.KERNEL) {
                                    continue;
                                }
                                if (!echo.equals("split") && !echo.equals("train")) {
                                    throw new IllegalArgumentException("echo=" + echo + ": split or train");
                                }
                                out.add(new ReflectorVariant(echo, onOff("offloads", off), queues, steering,
                                        onOff("napi", napi), Integer.parseInt(s)));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private static List<String> list(Map<String, String> opts, String key, String dflt) {
        return List.of(opts.getOrDefault(key, dflt).split(","));
    }

    private static boolean onOff(String key, String v) {
        return switch (v) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(key + "=" + v + ": on or off");
        };
    }
}
