package dev.platoon.core.cli;

/**
 * One {@code --name} option of a command: a flag, or an option with a value (text or a whole number
 * in a range, checked while parsing so that a bad number is a usage error, exit 2, before any work).
 * Declared in plain code by each command; no annotations, no reflection (start-up time is the point).
 */
final class OptionSpec {
    enum Kind { FLAG, TEXT, NUMBER }

    /** -h/--help and -V/--version, which every command accepts. */
    static final OptionSpec HELP = flag("--help", "Show this help message and exit.").withShortName('h');
    static final OptionSpec VERSION = flag("--version", "Print version information and exit.").withShortName('V');

    final String name;
    final char shortName; // 0 for none
    final Kind kind;
    final String label; // the value's name in help, e.g. N or [HOST:]PORT; null for a flag
    final long min;
    final long max;
    final boolean required;
    final boolean hidden;
    final String description;

    private OptionSpec(String name, char shortName, Kind kind, String label, long min, long max,
                       boolean required, boolean hidden, String description) {
        if (!name.startsWith("--")) {
            throw new IllegalArgumentException("an option's name starts with --: " + name);
        }
        this.name = name;
        this.shortName = shortName;
        this.kind = kind;
        this.label = label;
        this.min = min;
        this.max = max;
        this.required = required;
        this.hidden = hidden;
        this.description = description;
    }

    static OptionSpec flag(String name, String description) {
        return new OptionSpec(name, (char) 0, Kind.FLAG, null, 0, 0, false, false, description);
    }

    static OptionSpec text(String name, String label, String description) {
        return new OptionSpec(name, (char) 0, Kind.TEXT, label, 0, 0, false, false, description);
    }

    /** A whole number in min..max (both included); ParsedArgs hands it out as an int or a long. */
    static OptionSpec number(String name, String label, long min, long max, String description) {
        return new OptionSpec(name, (char) 0, Kind.NUMBER, label, min, max, false, false, description);
    }

    OptionSpec required() {
        return new OptionSpec(name, shortName, kind, label, min, max, true, hidden, description);
    }

    /** Accepted but left out of the help: test knobs, not features. */
    OptionSpec hidden() {
        return new OptionSpec(name, shortName, kind, label, min, max, required, true, description);
    }

    OptionSpec withShortName(char c) {
        return new OptionSpec(name, c, kind, label, min, max, required, hidden, description);
    }

    boolean takesValue() {
        return kind != Kind.FLAG;
    }

    /** {@code --name} or {@code --name=LABEL}, as the usage line and the option list show it. */
    String synopsis() {
        return label == null ? name : name + "=" + label;
    }
}
