package dev.platoon.core.cli;

import java.io.PrintWriter;

/**
 * A {@code platoon} subcommand: what it accepts (its {@link CommandSpec}, which also drives its help)
 * and what it does with the parsed arguments.
 */
interface CliCommand {
    CommandSpec spec();

    /**
     * Runs the command; returns its exit code. Output goes to {@code out}, errors to {@code err}, each
     * as one line. An exception becomes {@code platoon: <its message>} and exit 1 (Main does that); a
     * {@link UsageException} becomes the usage error, exit 2.
     */
    int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws Exception;
}
