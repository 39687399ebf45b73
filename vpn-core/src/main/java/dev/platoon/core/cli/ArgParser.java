package dev.platoon.core.cli;

/**
 * Turns a command's arguments into {@link ParsedArgs}, or a one-line {@link UsageException}.
 *
 * <p>The rules are getopt_long's, which the wg and wg-quick users this serves already know:
 * {@code --name value} and {@code --name=value}; options and parameters in any order; {@code --} ends
 * the options; {@code -h}, {@code -V} and clusters of them ({@code -hV}). A value-taking option never
 * swallows a following {@code --option} as its value (a forgotten value says so instead).
 * Parsing stops at -h/--help or -V/--version, so {@code up --help} shows help even without CONFIG.
 */
final class ArgParser {
    private ArgParser() {
    }

    /** A command's arguments, from {@code args[from]} on. */
    static ParsedArgs parse(CommandSpec spec, String[] args, int from) throws UsageException {
        return parse(spec, spec, args, from, false);
    }

    /**
     * The top level's options, up to and including the first parameter (the command's name); the
     * command's own arguments start at {@link ParsedArgs#end()}. Errors here point at 'platoon --help'.
     */
    static ParsedArgs parseUpToCommand(CommandSpec top, String[] args) throws UsageException {
        return parse(top, null, args, 0, true);
    }

    private static ParsedArgs parse(CommandSpec spec, CommandSpec errorsFor, String[] args, int from,
                                    boolean stopAtFirstParam) throws UsageException {
        ParsedArgs parsed = new ParsedArgs();
        boolean onlyParams = false;
        int i = from;
        while (i < args.length && !parsed.helpRequested() && !parsed.versionRequested()) {
            String arg = args[i++];
            if (!onlyParams && arg.equals("--")) {
                onlyParams = true;
            } else if (onlyParams || arg.length() < 2 || arg.charAt(0) != '-') {
                // "-" alone is a parameter (stdin, by convention), as is anything after "--"
                if (parsed.paramCount() == spec.params.size()) {
                    throw new UsageException(errorsFor, "unexpected argument '" + arg + "'");
                }
                parsed.addParam(arg);
                if (stopAtFirstParam) {
                    break;
                }
            } else if (arg.charAt(1) == '-') {
                i = longOption(spec, errorsFor, args, i, arg, parsed);
            } else {
                shortOptions(errorsFor, arg, parsed);
            }
        }
        parsed.end(i);
        if (parsed.helpRequested() || parsed.versionRequested()) {
            return parsed; // whatever else is missing does not matter
        }
        for (int p = parsed.paramCount(); p < spec.params.size(); p++) {
            if (spec.params.get(p).required()) {
                throw new UsageException(errorsFor, "missing " + spec.params.get(p).label());
            }
        }
        for (OptionSpec o : spec.options) {
            if (o.required && parsed.text(o.name) == null) {
                throw new UsageException(errorsFor, "missing " + o.synopsis());
            }
        }
        return parsed;
    }

    /** {@code --name} or {@code --name=value}; returns the index of the next argument. */
    private static int longOption(CommandSpec spec, CommandSpec errorsFor, String[] args, int next, String arg,
                                  ParsedArgs parsed) throws UsageException {
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg : arg.substring(0, eq);
        String value = eq < 0 ? null : arg.substring(eq + 1);
        OptionSpec o = spec.find(name);
        if (o == null) {
            throw new UsageException(errorsFor, "unknown option '" + name + "'");
        }
        if (!o.takesValue()) {
            if (value != null) {
                throw new UsageException(errorsFor, name + " takes no value");
            }
            set(o, "", parsed);
            return next;
        }
        if (value == null) {
            if (next >= args.length || args[next].startsWith("--")) {
                throw new UsageException(errorsFor, name + " needs a value (" + o.label + ")");
            }
            value = args[next++];
        }
        if (parsed.text(name) != null) {
            throw new UsageException(errorsFor, name + " given more than once");
        }
        if (o.kind == OptionSpec.Kind.NUMBER) {
            checkNumber(o, errorsFor, value);
        }
        parsed.put(name, value);
        return next;
    }

    /** {@code -h}, {@code -V}, or a cluster of them such as {@code -hV}: every letter must be a flag. */
    private static void shortOptions(CommandSpec errorsFor, String arg, ParsedArgs parsed) throws UsageException {
        for (int c = 1; c < arg.length(); c++) {
            OptionSpec o = CommandSpec.findShort(arg.charAt(c));
            if (o == null) {
                throw new UsageException(errorsFor, "unknown option '" + arg + "'");
            }
            set(o, "", parsed);
        }
    }

    private static void set(OptionSpec flag, String value, ParsedArgs parsed) {
        if (flag == OptionSpec.HELP) {
            parsed.requestHelp();
        } else if (flag == OptionSpec.VERSION) {
            parsed.requestVersion();
        } else {
            parsed.put(flag.name, value);
        }
    }

    private static void checkNumber(OptionSpec o, CommandSpec errorsFor, String value) throws UsageException {
        try {
            long n = Long.parseLong(value);
            if (n >= o.min && n <= o.max) {
                return;
            }
        } catch (NumberFormatException e) {
            // not a number at all: the same message as out of range
        }
        throw new UsageException(errorsFor, o.name + " must be " + range(o) + ", not '" + value + "'");
    }

    private static String range(OptionSpec o) {
        if (o.max == Long.MAX_VALUE) {
            return o.min == Long.MIN_VALUE ? "a whole number" : "a whole number of at least " + o.min;
        }
        return "a whole number in " + o.min + ".." + o.max;
    }
}
