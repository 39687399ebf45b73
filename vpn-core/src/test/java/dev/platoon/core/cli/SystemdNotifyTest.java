package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class SystemdNotifyTest {
    @Test
    void aDatagramReachesTheListener() throws Throwable {
        Path dir = Files.createTempDirectory("notify");
        try (NotifyListener listener = new NotifyListener(dir.resolve("notify.sock"))) {
            SystemdNotify.send(listener.path.toString(), "READY=1\nSTATUS=wg0 is up");
            assertEquals("READY=1\nSTATUS=wg0 is up", listener.receive(Duration.ofSeconds(5)));
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void aNameThatIsNoSocketPathIsOneLine() {
        IOException e = assertThrows(IOException.class, () -> SystemdNotify.send("relative/path", "READY=1"));
        assertEquals("NOTIFY_SOCKET=relative/path is not a unix socket path", e.getMessage());
        assertThrows(IOException.class, () -> SystemdNotify.send("/nonexistent/notify.sock", "READY=1"));
    }
}
