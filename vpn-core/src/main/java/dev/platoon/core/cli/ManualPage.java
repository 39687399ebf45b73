package dev.platoon.core.cli;

import java.util.List;

/**
 * platoon(8), rendered in roff from the same command specs as {@code --help}: the visible commands with
 * their usage, summary, details, parameters and options, then the files and environment platoon uses.
 * The packages install it as {@code /usr/share/man/man8/platoon.8.gz}.
 */
final class ManualPage {
    private ManualPage() {
    }

    static String render(CommandSpec top, List<CliCommand> commands, String version) {
        StringBuilder m = new StringBuilder();
        m.append(".TH PLATOON 8 \"\" \"").append(escape(version)).append("\" \"System Administration\"\n");
        m.append(".SH NAME\nplatoon \\- ").append(escape(top.summary)).append('\n');
        m.append(".SH SYNOPSIS\n.B platoon\n.I COMMAND\n.RI [ OPTIONS ]\n");
        m.append(".SH DESCRIPTION\n");
        m.append("platoon is a userspace WireGuard endpoint that interoperates with every other WireGuard. "
                + "Its commands follow wg-quick(8) and wg(8): a wg-quick file brings an interface up, "
                + "and the stock wg tool works on its control socket.\n");
        m.append(".SH COMMANDS\n");
        for (CliCommand c : commands) {
            CommandSpec spec = c.spec();
            if (spec.isHidden()) {
                continue;
            }
            m.append(".TP\n.B platoon ").append(escape(spec.name));
            for (OptionSpec o : spec.options) {
                if (!o.hidden) {
                    m.append(o.required ? " " : " [").append(escape(o.synopsis())).append(o.required ? "" : "]");
                }
            }
            for (ParamSpec p : spec.params) {
                m.append(p.required() ? " " : " [").append(escape(p.label())).append(p.required() ? "" : "]");
            }
            m.append('\n').append(escape(spec.summary)).append('\n');
            for (String line : spec.details) {
                m.append(".br\n").append(escape(line)).append('\n');
            }
            for (ParamSpec p : spec.params) {
                if (p.description() != null) {
                    m.append(".RS\n.TP\n.I ").append(escape(p.label())).append('\n')
                            .append(escape(p.description())).append("\n.RE\n");
                }
            }
            for (OptionSpec o : spec.options) {
                if (!o.hidden && o.description != null) {
                    m.append(".RS\n.TP\n.B ").append(escape(o.synopsis())).append('\n')
                            .append(escape(o.description)).append("\n.RE\n");
                }
            }
        }
        m.append(".SH OPTIONS\n");
        for (OptionSpec o : CommandSpec.STANDARD) {
            m.append(".TP\n.BR \\-").append(o.shortName).append(" \", \" ").append(escape(o.synopsis())).append('\n')
                    .append(escape(o.description)).append('\n');
        }
        m.append(".SH FILES\n");
        item(m, "/etc/platoon/NAME.conf, /etc/wireguard/NAME.conf",
                "wg-quick files looked up by NAME (mode 0600; platoon warns like wg when others can read them).");
        item(m, "/var/run/wireguard/NAME.sock", "the control socket that wg(8) talks to (mode 0600).");
        item(m, "/run/platoon/NAME.pid, /run/platoon/NAME.status", "the running process, and its liveness (the file's time is set every second; platoon show asks the control socket).");
        item(m, "/var/log/platoon/NAME.log", "the log of a detached interface (rotated by /etc/logrotate.d/platoon).");
        item(m, "/lib/systemd/system/platoon@.service", "the unit: systemctl enable \\-\\-now platoon@NAME.");
        m.append(".SH ENVIRONMENT\n");
        item(m, "PLATOON_METRICS", "[HOST:]PORT: serve Prometheus metrics, as \\-\\-metrics.");
        item(m, "PLATOON_CIPHER", "openssl, java, jdk\\-stubs or jdk\\-cipher: force one cipher engine (default: auto).");
        item(m, "PLATOON_JAVA_OPTS", "more JVM options, after those platoon needs.");
        item(m, "NOTIFY_SOCKET", "set by systemd for Type=notify: platoon up sends READY=1 there once the interface serves.");
        m.append(".SH EXIT STATUS\n0 on success, 1 on a failure (one line on stderr), 2 on a usage error. "
                + "A foreground platoon up stopped by SIGTERM exits with 143 once the interface is down.\n");
        m.append(".SH SEE ALSO\n.BR wg (8),\n.BR wg\\-quick (8),\n.BR systemd.service (5)\n");
        return m.toString();
    }

    private static void item(StringBuilder m, String tag, String text) {
        m.append(".TP\n.I ").append(escape(tag)).append('\n').append(text).append('\n');
    }

    /** Text safe in roff: backslashes and hyphens escaped, no line that starts with a control character. */
    static String escape(String text) {
        String s = text.replace("\\", "\\e").replace("-", "\\-");
        return s.startsWith(".") || s.startsWith("'") ? "\\&" + s : s;
    }
}
