package dev.platoon.core.cli;

import java.io.PrintWriter;
import java.util.List;

/** {@code platoon help [COMMAND]}: the same text as {@code platoon --help} or {@code platoon COMMAND --help}. */
final class HelpCommand implements CliCommand {
    static final CommandSpec SPEC = CommandSpec.of("help", "Display help information about the specified command.")
            .param("COMMAND", false, null);

    private final CommandSpec top;
    private final List<CliCommand> commands;

    HelpCommand(CommandSpec top, List<CliCommand> commands) {
        this.top = top;
        this.commands = commands;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws UsageException {
        String name = args.param(0);
        if (name == null) {
            Help.main(top, commands, out);
            return 0;
        }
        Help.command(Main.command(commands, name).spec(), out);
        return 0;
    }
}
