package dev.platoon.tun;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Configures a link with the {@code ip} tool (iproute2), like wg-quick: MTU, up/down,
 * txqueuelen, IPv4/IPv6 addresses, routes, delete. Without a namespace the commands act in the
 * network namespace of the calling thread (a child process inherits it); with one they use
 * {@code ip -n NS}. Each failure is a {@link TunException} of one line: the command and ip's reason.
 */
public final class LinkConfig {
    private static final long TIMEOUT_SECONDS = 10;
    private final String device;
    private final String netns;

    public LinkConfig(String device) {
        this(device, null);
    }

    /** @param netns a name under /var/run/netns, or null for the caller's namespace */
    public LinkConfig(String device, String netns) {
        this.device = device;
        this.netns = netns;
    }

    public LinkConfig mtu(int mtu) throws TunException {
        return ip("link", "set", "dev", device, "mtu", Integer.toString(mtu));
    }

    /**
     * No IPv6 link-local address for this link (call before {@link #up()}): a tun would otherwise get a
     * random fe80:: address and send router solicitations into the tunnel, where no peer routes them.
     * WireGuard's kernel interfaces have no link-local address either; one can still be given as an
     * Address.
     */
    public LinkConfig noLinkLocalAddress() throws TunException {
        return ip("link", "set", "dev", device, "addrgenmode", "none");
    }

    public LinkConfig up() throws TunException {
        return ip("link", "set", "dev", device, "up");
    }

    public LinkConfig down() throws TunException {
        return ip("link", "set", "dev", device, "down");
    }

    public LinkConfig txqueuelen(int packets) throws TunException {
        return ip("link", "set", "dev", device, "txqueuelen", Integer.toString(packets));
    }

    /** Adds an address in CIDR form, "100.64.0.1/24" or "fd00:64::1/64" (no DAD for IPv6). */
    public LinkConfig addAddress(String cidr) throws TunException {
        return cidr.contains(":") ? ip("-6", "address", "add", cidr, "dev", device, "nodad")
                : ip("-4", "address", "add", cidr, "dev", device);
    }

    public LinkConfig removeAddress(String cidr) throws TunException {
        return ip(cidr.contains(":") ? "-6" : "-4", "address", "del", cidr, "dev", device);
    }

    /** Routes a prefix into this device. */
    public LinkConfig addRoute(String cidr) throws TunException {
        return ip(cidr.contains(":") ? "-6" : "-4", "route", "add", cidr, "dev", device);
    }

    public LinkConfig removeRoute(String cidr) throws TunException {
        return ip(cidr.contains(":") ? "-6" : "-4", "route", "del", cidr, "dev", device);
    }

    /** Deletes the link (a persistent tun, or one that other processes hold open). */
    public void delete() throws TunException {
        ip("link", "delete", "dev", device);
    }

    /** Runs one {@code ip} command for this link's namespace and returns its standard output. */
    public String run(String... args) throws TunException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        if (netns != null) {
            cmd.add("-n");
            cmd.add(netns);
        }
        cmd.addAll(List.of(args));
        String line = String.join(" ", cmd);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new TunException(line + ": cannot run ip (is iproute2 installed?): " + e.getMessage());
        }
        try (InputStream in = p.getInputStream()) {
            p.getOutputStream().close();
            String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new TunException(line + ": ip did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                String first = out.strip().lines().findFirst().orElse("exit status " + p.exitValue());
                throw new TunException(line + ": " + first);
            }
            return out;
        } catch (IOException e) {
            throw new TunException(line + ": " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TunException(line + ": interrupted");
        }
    }

    private LinkConfig ip(String... args) throws TunException {
        run(args);
        return this;
    }
}
