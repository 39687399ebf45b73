package dev.platoon.core.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * What a command accepts and how its help describes it: name, a one-line summary (the command list
 * shows it), more lines for its own help, its options and its positional parameters. Built once, in
 * plain calls, by each command:
 *
 * <pre>{@code
 * CommandSpec.of("down", "Tear down an interface ...").param("NAME|CONFIG", true, null)
 * }</pre>
 *
 * Every command also takes -h/--help and -V/--version; the parser adds those, not each spec.
 */
final class CommandSpec {
    final String name;
    final String summary;
    final List<String> details = new ArrayList<>();
    final List<OptionSpec> options = new ArrayList<>();
    final List<ParamSpec> params = new ArrayList<>();
    private boolean hidden;

    private CommandSpec(String name, String summary) {
        this.name = name;
        this.summary = summary;
    }

    static CommandSpec of(String name, String summary) {
        return new CommandSpec(name, summary);
    }

    /** Lines after the summary in the command's own help (each is wrapped to the terminal width). */
    CommandSpec details(String... lines) {
        details.addAll(List.of(lines));
        return this;
    }

    CommandSpec option(OptionSpec option) {
        options.add(option);
        return this;
    }

    CommandSpec param(String label, boolean required, String description) {
        if (required && !params.isEmpty() && !params.getLast().required()) {
            throw new IllegalArgumentException(name + ": required parameter " + label + " after an optional one");
        }
        params.add(new ParamSpec(label, required, description));
        return this;
    }

    /** Runs when named but is not in the command list: a tool for tests and the demo, not a feature. */
    CommandSpec hidden() {
        hidden = true;
        return this;
    }

    boolean isHidden() {
        return hidden;
    }

    /** The option called {@code --name}, the standard ones included; or null. */
    OptionSpec find(String name) {
        for (OptionSpec o : options) {
            if (name.equals(o.name)) {
                return o;
            }
        }
        for (OptionSpec o : STANDARD) {
            if (name.equals(o.name)) {
                return o;
            }
        }
        return null;
    }

    /** The option {@code -c} (alone or in a cluster like {@code -hV}), or null. Only the standard ones have a letter. */
    static OptionSpec findShort(char c) {
        for (OptionSpec o : STANDARD) {
            if (o.shortName == c) {
                return o;
            }
        }
        return null;
    }

    static final List<OptionSpec> STANDARD = List.of(OptionSpec.HELP, OptionSpec.VERSION);
}
