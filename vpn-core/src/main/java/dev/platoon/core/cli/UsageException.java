package dev.platoon.core.cli;

/**
 * The command line is wrong (unknown option, missing parameter, bad number): Main prints
 * {@code platoon: <message>} and where to find help, and exits 2. Commands may throw it too, for a check
 * the spec cannot express. No stack trace is filled in: it is never shown, and it is the normal path.
 */
final class UsageException extends Exception {
    private final transient CommandSpec command;

    /** @param command whose help the user is pointed to; null for the top level */
    UsageException(CommandSpec command, String message) {
        super(message, null, false, false);
        this.command = command;
    }

    /** The one line: {@code platoon: up: missing CONFIG}, or {@code platoon: unknown command 'x'} at the top. */
    String line() {
        return command == null ? "platoon: " + getMessage() : "platoon: " + command.name + ": " + getMessage();
    }

    /** The second line: where the help for what was being parsed is. */
    String hint() {
        return command == null ? "Try 'platoon --help'." : "Try 'platoon " + command.name + " --help'.";
    }
}
