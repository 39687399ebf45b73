package dev.platoon.core.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every log line — ours, Netty's, Micrometer's — is one line on stderr: time, level, where, what, and
 * for an exception its class and message, never a stack trace (set PLATOON_DEBUG=1 to get those).
 */
final class OneLineLogging extends Formatter {
    private final boolean stackTraces = System.getenv("PLATOON_DEBUG") != null;

    static void install() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setFormatter(new OneLineLogging());
        console.setLevel(Level.ALL);
        root.addHandler(console);
        root.setLevel(System.getenv("PLATOON_DEBUG") != null ? Level.FINE : Level.INFO);
    }

    @Override
    public String format(LogRecord r) {
        String source = r.getLoggerName() == null ? "" : r.getLoggerName();
        int dot = source.lastIndexOf('.');
        StringBuilder line = new StringBuilder()
                .append(String.format("%1$tF %1$tT ", r.getMillis()))
                .append(r.getLevel().getName()).append(' ')
                .append(dot >= 0 ? source.substring(dot + 1) : source).append(": ")
                .append(formatMessage(r).lines().findFirst().orElse(""));
        Throwable t = r.getThrown();
        if (t != null) {
            line.append(" (").append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                line.append(": ").append(t.getMessage().lines().findFirst().orElse(""));
            }
            line.append(')');
        }
        line.append(System.lineSeparator());
        if (t != null && stackTraces) {
            java.io.StringWriter w = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(w));
            line.append(w);
        }
        return line.toString();
    }
}
