package dev.platoon.core.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * The help texts, rendered from the specs: the top level's (usage, options, the visible commands) and
 * each command's (usage line, summary, details, parameters, options). Hidden commands and options are
 * left out. Lines wrap at 80 columns, continuations indented under their column, as picocli lays them out.
 */
final class Help {
    static final int WIDTH = 80;
    /** Where option and parameter descriptions start; a longer {@code --name=LABEL} puts its on the next line. */
    private static final int DESCRIPTION_COLUMN = 26;

    private Help() {
    }

    /** {@code platoon --help}. */
    static void main(CommandSpec top, List<CliCommand> commands, PrintWriter out) {
        StringBuilder sb = new StringBuilder();
        usage(sb, top, "platoon");
        wrap(sb, top.summary, 0, 0);
        for (String line : top.details) {
            wrap(sb, line, 0, 0);
        }
        optionList(sb, top);
        sb.append("Commands:\n");
        int nameWidth = 0;
        for (CliCommand c : commands) {
            if (!c.spec().isHidden()) {
                nameWidth = Math.max(nameWidth, c.spec().name.length());
            }
        }
        for (CliCommand c : commands) {
            CommandSpec spec = c.spec();
            if (!spec.isHidden()) {
                sb.append("  ").append(spec.name);
                pad(sb, nameWidth - spec.name.length() + 2);
                wrap(sb, spec.summary, 2 + nameWidth + 2, 2 + nameWidth + 4);
            }
        }
        out.print(sb);
        out.flush();
    }

    /** {@code platoon COMMAND --help} and {@code platoon help COMMAND}. */
    static void command(CommandSpec spec, PrintWriter out) {
        StringBuilder sb = new StringBuilder();
        usage(sb, spec, "platoon " + spec.name);
        wrap(sb, spec.summary, 0, 0);
        for (String line : spec.details) {
            wrap(sb, line, 0, 0);
        }
        for (ParamSpec p : spec.params) {
            if (p.description() != null) {
                item(sb, "      " + p.label(), p.description());
            }
        }
        optionList(sb, spec);
        out.print(sb);
        out.flush();
    }

    /** {@code Usage: platoon up [-hV] [--foreground] [--queues=N] CONFIG}, wrapped under its first word. */
    private static void usage(StringBuilder sb, CommandSpec spec, String command) {
        StringBuilder line = new StringBuilder(command).append(" [-hV]");
        for (OptionSpec o : spec.options) {
            if (!o.hidden) {
                line.append(' ');
                if (o.required) {
                    line.append(o.synopsis());
                } else {
                    line.append('[').append(o.synopsis()).append(']');
                }
            }
        }
        for (ParamSpec p : spec.params) {
            line.append(' ');
            if (p.required()) {
                line.append(p.label());
            } else {
                line.append('[').append(p.label()).append(']');
            }
        }
        sb.append("Usage: ");
        wrap(sb, line.toString(), 7, 7 + command.length() + 1);
    }

    private static void optionList(StringBuilder sb, CommandSpec spec) {
        for (OptionSpec o : spec.options) {
            if (!o.hidden) {
                item(sb, "      " + o.synopsis(), o.description);
            }
        }
        for (OptionSpec o : CommandSpec.STANDARD) {
            item(sb, "  -" + o.shortName + ", " + o.synopsis(), o.description);
        }
    }

    /** A left column ({@code --name=LABEL}) and its description, wrapped in the description column. */
    private static void item(StringBuilder sb, String left, String description) {
        sb.append(left);
        if (description == null || description.isEmpty()) {
            sb.append('\n');
            return;
        }
        if (left.length() + 2 > DESCRIPTION_COLUMN) {
            sb.append('\n');
            pad(sb, DESCRIPTION_COLUMN);
        } else {
            pad(sb, DESCRIPTION_COLUMN - left.length());
        }
        wrap(sb, description, DESCRIPTION_COLUMN, DESCRIPTION_COLUMN + 2);
    }

    /**
     * Appends {@code text} and a newline, breaking at spaces so that no line passes {@link #WIDTH};
     * the first line continues a line already {@code column} wide, the others start with {@code indent}
     * spaces. A word longer than a line stays whole.
     */
    static void wrap(StringBuilder sb, String text, int column, int indent) {
        int start = 0;
        int n = text.length();
        while (start < n) {
            int room = WIDTH - column;
            int end = n;
            if (n - start > room) {
                end = text.lastIndexOf(' ', start + room);
                if (end <= start) {
                    end = text.indexOf(' ', start);
                    if (end < 0) {
                        end = n;
                    }
                }
            }
            sb.append(text, start, end).append('\n');
            start = end;
            while (start < n && text.charAt(start) == ' ') {
                start++;
            }
            if (start < n) {
                pad(sb, indent);
                column = indent;
            }
        }
        if (n == 0) {
            sb.append('\n');
        }
    }

    private static void pad(StringBuilder sb, int spaces) {
        for (int i = 0; i < spaces; i++) {
            sb.append(' ');
        }
    }
}
