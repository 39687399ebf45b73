package dev.platoon.core.cli;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The bash completion for {@code platoon}, rendered from the command specs: command names first, then
 * each command's options, and for its parameters the interface names and files they take — running
 * interfaces (control sockets) for NAME, {@code .conf} files and the names in /etc/platoon and
 * /etc/wireguard for CONFIG. Installed as {@code /usr/share/bash-completion/completions/platoon}.
 */
final class BashCompletion {
    private BashCompletion() {
    }

    static String render(List<CliCommand> commands) {
        StringBuilder s = new StringBuilder();
        s.append("# bash completion for platoon(8); generated from its command specs by 'platoon generate bash-completion'\n");
        s.append("_platoon_interfaces() {\n");
        s.append("  local f; for f in /var/run/wireguard/*.sock; do [ -e \"$f\" ] && basename \"$f\" .sock; done\n}\n");
        s.append("_platoon_configs() {\n");
        s.append("  local f; for f in /etc/platoon/*.conf /etc/wireguard/*.conf; do [ -e \"$f\" ] && basename \"$f\" .conf; done\n}\n");
        s.append("_platoon() {\n");
        s.append("  local cur=\"${COMP_WORDS[COMP_CWORD]}\" command=\"${COMP_WORDS[1]}\" opts=\"\" params=\"\"\n");
        s.append("  if [ \"$COMP_CWORD\" -eq 1 ]; then\n");
        s.append("    COMPREPLY=($(compgen -W \"").append(visible(commands).stream().map(c -> c.name)
                .collect(Collectors.joining(" "))).append(" -h --help -V --version\" -- \"$cur\"))\n    return\n  fi\n");
        s.append("  case \"$command\" in\n");
        for (CommandSpec spec : visible(commands)) {
            StringBuilder opts = new StringBuilder();
            for (OptionSpec o : spec.options) {
                if (!o.hidden) {
                    opts.append(o.name).append(o.takesValue() ? "=" : "").append(' ');
                }
            }
            opts.append("-h --help -V --version");
            String params = spec.params.stream().map(ParamSpec::label).collect(Collectors.joining(" "));
            s.append("    ").append(spec.name).append(") opts=\"").append(opts).append("\"; params=\"")
                    .append(params).append("\" ;;\n");
        }
        s.append("    *) return ;;\n  esac\n");
        s.append("  if [[ \"$cur\" == -* ]]; then\n");
        s.append("    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n");
        s.append("    [[ \"${COMPREPLY[0]:-}\" == *= ]] && compopt -o nospace 2>/dev/null\n    return\n  fi\n");
        s.append("  local words=\"\"\n");
        s.append("  case \"$params\" in\n");
        s.append("    *COMMAND*) words=\"").append(visible(commands).stream().map(c -> c.name)
                .collect(Collectors.joining(" "))).append("\" ;;\n");
        s.append("    *CONFIG*) words=\"$(_platoon_configs) $( [[ $params == *NAME* ]] && _platoon_interfaces)\"\n");
        s.append("      COMPREPLY=($(compgen -f -X '!*.conf' -- \"$cur\") $(compgen -d -- \"$cur\")) ;;\n");
        s.append("    *NAME*) words=\"$(_platoon_interfaces)\" ;;\n");
        s.append("  esac\n");
        s.append("  COMPREPLY+=($(compgen -W \"$words\" -- \"$cur\"))\n");
        s.append("}\n");
        s.append("complete -F _platoon platoon\n");
        return s.toString();
    }

    private static List<CommandSpec> visible(List<CliCommand> commands) {
        return commands.stream().map(CliCommand::spec).filter(c -> !c.isHidden()).toList();
    }
}
