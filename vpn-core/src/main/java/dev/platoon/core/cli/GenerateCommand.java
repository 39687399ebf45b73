package dev.platoon.core.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code platoon generate man|bash-completion}: platoon(8) in roff, or the bash completion, from the
 * command specs, so neither can fall behind the commands. The package build runs it. Hidden: a tool.
 */
final class GenerateCommand implements CliCommand {
    static final CommandSpec SPEC = CommandSpec.of("generate",
                    "Print the manual page platoon(8) or the bash completion, made from the command specs.")
            .param("WHAT", true, "man or bash-completion")
            .hidden();

    private final CommandSpec top;
    private final List<CliCommand> commands;

    GenerateCommand(CommandSpec top, List<CliCommand> commands) {
        this.top = top;
        this.commands = commands;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws UsageException {
        switch (args.param(0)) {
            case "man" -> out.print(ManualPage.render(top, commands, Main.version()));
            case "bash-completion" -> out.print(BashCompletion.render(commands));
            default -> throw new UsageException(SPEC, "WHAT must be man or bash-completion, not '" + args.param(0) + "'");
        }
        out.flush();
        return 0;
    }
}
