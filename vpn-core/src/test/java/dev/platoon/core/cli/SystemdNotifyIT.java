package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.platoon.core.demo.TunnelBed;

/**
 * {@code platoon up --foreground} under {@code Type=notify}: with NOTIFY_SOCKET set it sends READY=1 once
 * the interface serves (the link is up and the control socket answers), and STOPPING=1 on SIGTERM.
 */
class SystemdNotifyIT {
    @Test
    void readyWhenServingThenStopping() throws Throwable {
        try (TunnelBed bed = TunnelBed.create("pt-notify");
             NotifyListener listener = new NotifyListener(bed.workDir().resolve("notify.sock"))) {
            bed.writeConfig(bed.a, true, List.of());
            bed.startPlatoon(bed.a, List.of("--queues=1"), Map.of(SystemdNotify.ENV, listener.path.toString()));
            String ready = listener.receive(Duration.ofSeconds(30));
            assertNotNull(ready, "no notification within 30 s: " + TunnelBed.lastLine(bed.a.log));
            assertTrue(ready.startsWith("READY=1\n"), ready);
            assertTrue(ready.contains("MAINPID="), ready);
            assertTrue(Files.exists(Path.of("/var/run/wireguard", bed.a.ifname + ".sock")), "no control socket yet");
            String link = bed.net.exec(bed.a.namespace, Duration.ofSeconds(10), "ip", "-o", "link", "show",
                    "dev", bed.a.ifname).orThrow().stdout();
            assertTrue(link.contains(",UP"), link);
            bed.a.process.destroy();
            assertEquals("STOPPING=1", listener.receive(Duration.ofSeconds(20)));
        }
    }
}
