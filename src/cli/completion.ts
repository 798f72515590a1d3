/**
 * `berth completion bash|zsh|fish`: a completion script for the shell. Each script asks the
 * hidden `berth __complete` for the candidates, so commands, flags, containers and images are
 * always those of the berth binary and the store in use (global flags such as `--root` typed
 * on the line are passed on).
 *
 * @module
 */
import type { Command } from "./command.ts";
import { out } from "./command.ts";
import { UsageError } from "../errors.ts";

/** The scripts, by shell. `berth` is the command they complete. */
export const COMPLETION_SCRIPTS: Readonly<Record<string, string>> = {
  bash: `# bash completion for berth. Load it with: source <(berth completion bash)
_berth() {
  local IFS=$'\\n'
  COMPREPLY=($("\${COMP_WORDS[0]}" __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _berth berth
`,
  zsh: `#compdef berth
# zsh completion for berth. Load it with: source <(berth completion zsh)
_berth() {
  local -a candidates
  candidates=("\${(@f)$("\${words[1]}" __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  candidates=(\${candidates:#})
  if (( \${#candidates} )); then compadd -a candidates; else _files; fi
}
compdef _berth berth
`,
  fish: `# fish completion for berth. Load it with: berth completion fish | source
complete -c berth -f -a '(berth __complete -- (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`,
};

/** `berth completion SHELL` */
export const completionCommand: Command = {
  flags: {},
  async run(_global, p) {
    const [shell, ...extra] = p.positionals;
    if (!shell || extra.length) {
      throw new UsageError("completion needs exactly one shell: bash, zsh or fish");
    }
    const script = COMPLETION_SCRIPTS[shell];
    if (!script) throw new UsageError(`unsupported shell "${shell}": use bash, zsh or fish`);
    await out(script);
    return 0;
  },
};
