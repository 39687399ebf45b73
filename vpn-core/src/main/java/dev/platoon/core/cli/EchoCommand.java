package dev.platoon.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * {@code platoon echo --address ADDR}: sends ICMP echo requests until one is answered or the time is up,
 * for {@code platoon demo} on machines without {@code ping}. {@link InetAddress#isReachable} sends real
 * ICMP (IPv4) or ICMPv6 echo requests when it may open a raw socket (root or CAP_NET_RAW), which the
 * demo has. Hidden: a tool, not a feature.
 */
final class EchoCommand implements CliCommand {
    static final CommandSpec SPEC = CommandSpec.of("echo",
                    "Send ICMP echo requests to an address until one is answered (like 'ping -c 1' in a loop).")
            .option(OptionSpec.text("--address", "ADDRESS", "the IPv4 or IPv6 address to ask").required())
            .option(OptionSpec.number("--timeout", "SECONDS", 1, 600, "give up after this long (default: 10)"))
            .hidden();

    private static final int ONE_TRY_MS = 1000;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws IOException, UsageException {
        InetAddress target;
        String address = args.text("--address");
        try {
            if (!address.matches("[0-9a-fA-F:.]+")) {
                throw new UnknownHostException(address);
            }
            target = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new UsageException(SPEC, "--address must be an IP address, not '" + address + "'");
        }
        long deadline = System.nanoTime() + args.integer("--timeout", 10) * 1_000_000_000L;
        int tries = 0;
        while (System.nanoTime() < deadline) {
            tries++;
            long t0 = System.nanoTime();
            if (target.isReachable(ONE_TRY_MS)) {
                out.printf("echo reply from %s after %d request(s), %.1f ms%n", address, tries,
                        (System.nanoTime() - t0) / 1e6);
                return 0;
            }
        }
        err.println("platoon: no echo reply from " + address + " after " + tries + " request(s)");
        return 1;
    }
}
