package dev.platoon.core.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A command line after {@link ArgParser}: option values by their {@code --name}, the positional
 * parameters in order, and whether help or the version was asked for. Numbers were range-checked while
 * parsing, so the getters here cannot fail on them.
 */
final class ParsedArgs {
    private final Map<String, String> values = new HashMap<>();
    private final List<String> params = new ArrayList<>();
    private boolean help;
    private boolean version;
    private int end;

    // --- written by ArgParser ---

    void put(String name, String value) {
        values.put(name, value);
    }

    void addParam(String value) {
        params.add(value);
    }

    void requestHelp() {
        help = true;
    }

    void requestVersion() {
        version = true;
    }

    void end(int index) {
        end = index;
    }

    // --- read by commands ---

    /** -h/--help was given: show the command's help instead of running it. */
    boolean helpRequested() {
        return help;
    }

    boolean versionRequested() {
        return version;
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    /** The option's value, or null when it was not given. */
    String text(String name) {
        return values.get(name);
    }

    /** The option's value, or null when it was not given (the spec's range fits an int). */
    Integer integer(String name) {
        String v = values.get(name);
        return v == null ? null : Integer.valueOf(Integer.parseInt(v));
    }

    int integer(String name, int defaultValue) {
        String v = values.get(name);
        return v == null ? defaultValue : Integer.parseInt(v);
    }

    long longValue(String name, long defaultValue) {
        String v = values.get(name);
        return v == null ? defaultValue : Long.parseLong(v);
    }

    int paramCount() {
        return params.size();
    }

    /** The index in the argument array after the last one parsed (where a command's own arguments start). */
    int end() {
        return end;
    }

    /** The i-th positional parameter, or null when an optional one was left out. */
    String param(int i) {
        return i < params.size() ? params.get(i) : null;
    }
}
