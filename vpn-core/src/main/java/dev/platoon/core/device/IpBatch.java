package dev.platoon.core.device;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ip -batch -}'s input and its failure report. A batch line is an {@code ip} command without the
 * program name and its family option (batch lines take no options; the address says the family). ip
 * stops at the first failing line and says which ({@code Command failed -:N}) after the kernel's reason,
 * so a failure is reported as that command and that reason, as if it had run alone.
 */
final class IpBatch {
    private static final Pattern FAILED_AT = Pattern.compile("^Command failed -:(\\d+)$", Pattern.MULTILINE);

    private IpBatch() {
    }

    /** {@code ip -4 route add 10.0.0.0/8 dev wg0} as the batch line {@code route add 10.0.0.0/8 dev wg0}. */
    static List<String> line(List<String> argv) {
        if (argv.size() < 2 || !argv.getFirst().equals("ip")) {
            throw new IllegalArgumentException("not an ip command: " + String.join(" ", argv));
        }
        int from = argv.get(1).startsWith("-") ? 2 : 1;
        return argv.subList(from, argv.size());
    }

    /** One line: the command that failed (found from ip's line number) and the reason ip gave for it. */
    static String failure(List<List<String>> commands, String output) {
        Matcher m = FAILED_AT.matcher(output);
        boolean found = m.find();
        // The reason is the last thing ip said before naming the line (earlier lines may be warnings).
        List<String> before = (found ? output.substring(0, m.start()) : output).lines().map(String::strip)
                .filter(l -> !l.isEmpty()).toList();
        String reason = before.isEmpty() ? "failed" : before.getLast();
        if (found) {
            int n = Integer.parseInt(m.group(1));
            if (n >= 1 && n <= commands.size()) {
                return String.join(" ", commands.get(n - 1)) + ": " + reason;
            }
        }
        return "ip -batch - (" + commands.size() + " commands from " + String.join(" ", commands.getFirst())
                + "): " + reason;
    }
}
