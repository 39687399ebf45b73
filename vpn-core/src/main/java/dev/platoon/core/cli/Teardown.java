package dev.platoon.core.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.platoon.config.ConfigException;
import dev.platoon.config.WgConfig;
import dev.platoon.core.device.Device;
import dev.platoon.core.device.UndoJournal;
import dev.platoon.core.metrics.MetricsServer;

/**
 * Takes an interface down, whatever point {@code up} had reached: installed as the shutdown hook before
 * anything is made, so SIGTERM at any moment (systemd, {@code down}, a detaching {@code up} that gave up
 * waiting) leaves nothing. Once {@code up} finished, it is wg-quick's {@code down}: PreDown, SaveConfig,
 * the device with its rules, PostDown. Before that, it is wg-quick's interrupted {@code up}: the hook
 * command running is stopped and what exists is removed, without the down hooks. Runs once.
 */
final class Teardown {
    private final String name;
    private final Path file;
    private final WgConfig wg;
    private final InterfaceFiles files;
    private final PrintWriter err;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private Device device;
    private MetricsServer metrics;
    private volatile boolean upComplete;

    Teardown(String name, Path file, WgConfig wg, InterfaceFiles files, PrintWriter err) {
        this.name = name;
        this.file = file;
        this.wg = wg;
        this.files = files;
        this.err = err;
        this.hook = new Thread(() -> run(true), "platoon-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The device exists: from now on it is what goes. Closed at once when the teardown already ran. */
    void device(Device d) {
        synchronized (this) {
            if (!started.get()) {
                device = d;
                return;
            }
        }
        d.close();
    }

    synchronized void metrics(MetricsServer m) {
        metrics = m;
    }

    /** PostUp is done: a teardown from now on runs the down hooks too. */
    void upComplete() {
        upComplete = true;
    }

    /** Runs it on this thread (a failed {@code up}); the shutdown hook then has nothing left to do. */
    void runNow() {
        run(false);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway and finds it done
        }
    }

    /** Until the teardown finished (the foreground {@code up} waits here while the interface runs). */
    void await() throws InterruptedException {
        done.await();
    }

    /** {@code signalled}: SIGTERM (or an exit) rather than a failure of up, which has said why already. */
    private void run(boolean signalled) {
        if (!started.compareAndSet(false, true)) {
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            UpCommand.notifySystemd("STOPPING=1", err);
            String stopped = Hooks.stopRunning();
            if (stopped != null) {
                err.println("platoon: " + name + ": stopped the hook command still running: " + stopped);
            }
            var iface = wg.iface();
            Device d;
            MetricsServer m;
            synchronized (this) {
                d = device;
                m = metrics;
            }
            if (upComplete) {
                Hooks.run("PreDown", iface.preDown(), name, err);
                if (iface.saveConfig() && d != null) {
                    saveConfig(d);
                }
            }
            if (m != null) {
                m.close();
            }
            if (d != null) {
                d.close();
            } else {
                // Stopped while the device was being made: what it added so far is written down.
                UndoJournal.replay(files.undoFile(name), name);
            }
            if (upComplete) {
                Hooks.run("PostDown", iface.postDown(), name, err);
            }
            PidFile.release(files, name);
            if (signalled && !upComplete) {
                err.println("platoon: " + name + " was stopped before it was up; nothing of it is left");
            }
        } finally {
            err.flush();
            done.countDown();
        }
    }

    /**
     * SaveConfig = true, on the way down: the file as it is now (a reload may have changed it; the one
     * from up when it no longer parses) with the running key and peers. A failure is one line; the
     * teardown goes on.
     */
    private void saveConfig(Device d) {
        WgConfig current = wg;
        try {
            current = dev.platoon.config.ConfigParser.parse(file);
        } catch (ConfigException | RuntimeException e) {
            err.println("platoon: warning: " + file + " no longer reads (" + Main.oneLine(e)
                    + "); saving with its keys from up");
        }
        err.println("[#] saving the running configuration to " + file + " (SaveConfig = true)");
        try {
            d.saveConfig(current);
        } catch (java.io.IOException | RuntimeException e) {
            err.println("platoon: " + d.name() + ": SaveConfig: cannot write " + file + ": " + Main.oneLine(e));
        }
        err.flush();
    }
}
