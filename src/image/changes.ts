/**
 * `--change` instructions (Dockerfile syntax) applied to an image config (pure).
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import type { ImageConfig } from "./manifest.ts";

type RunConfig = NonNullable<ImageConfig["config"]>;

function execOrShell(arg: string): string[] {
  const t = arg.trim();
  if (t.startsWith("[")) {
    try {
      const v = JSON.parse(t);
      if (Array.isArray(v) && v.every((s) => typeof s === "string")) return v;
    } catch { /* shell form */ }
  }
  return ["/bin/sh", "-c", t];
}

function envPairs(arg: string): string[] {
  const t = arg.trim();
  if (!/^[^\s=]+=/.test(t)) {
    const m = /^(\S+)\s+(.*)$/.exec(t);
    if (!m) throw new UsageError(`invalid ENV "${arg}"`);
    return [`${m[1]}=${m[2]}`];
  }
  const out: string[] = [];
  const re = /([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    const v = m[2].startsWith('"') ? JSON.parse(m[2]) : m[2];
    out.push(`${m[1]}=${v}`);
  }
  return out;
}

/**
 * Apply one instruction (`CMD`, `ENTRYPOINT`, `ENV`, `WORKDIR`, `USER`, `LABEL`,
 * `STOPSIGNAL`, `EXPOSE`, `VOLUME`) to `cfg` in place.
 *
 * @throws {UsageError} on an unknown or malformed instruction
 *
 * @example
 * ```ts
 * const cfg = {};
 * applyChange(cfg, 'CMD ["sh", "-c", "echo hi"]'); // cfg.Cmd = ["sh", "-c", "echo hi"]
 * applyChange(cfg, "ENV A=1 B=2");
 * ```
 */
export function applyChange(cfg: RunConfig, change: string): void {
  const m = /^\s*(\w+)\s*(.*)$/s.exec(change);
  if (!m) throw new UsageError(`invalid --change "${change}"`);
  const arg = m[2];
  switch (m[1].toUpperCase()) {
    case "CMD":
      cfg.Cmd = execOrShell(arg);
      break;
    case "ENTRYPOINT":
      cfg.Entrypoint = execOrShell(arg);
      break;
    case "ENV": {
      const env = [...(cfg.Env ?? [])];
      for (const pair of envPairs(arg)) {
        const key = pair.slice(0, pair.indexOf("="));
        const i = env.findIndex((e) => e.startsWith(`${key}=`));
        if (i === -1) env.push(pair);
        else env[i] = pair;
      }
      cfg.Env = env;
      break;
    }
    case "WORKDIR":
      cfg.WorkingDir = arg.trim();
      break;
    case "USER":
      cfg.User = arg.trim();
      break;
    case "STOPSIGNAL":
      cfg.StopSignal = arg.trim();
      break;
    case "LABEL": {
      const labels = { ...(cfg.Labels ?? {}) };
      for (const pair of envPairs(arg)) {
        labels[pair.slice(0, pair.indexOf("="))] = pair.slice(pair.indexOf("=") + 1);
      }
      cfg.Labels = labels;
      break;
    }
    case "EXPOSE": {
      const ports = { ...(cfg.ExposedPorts ?? {}) };
      for (const p of arg.trim().split(/\s+/)) ports[p.includes("/") ? p : `${p}/tcp`] = {};
      cfg.ExposedPorts = ports;
      break;
    }
    case "VOLUME": {
      const vols = { ...(cfg.Volumes ?? {}) };
      for (
        const v of execOrShell(arg)[0] === "/bin/sh" ? arg.trim().split(/\s+/) : execOrShell(arg)
      ) {
        vols[v] = {};
      }
      cfg.Volumes = vols;
      break;
    }
    default:
      throw new UsageError(`invalid --change "${change}": unsupported instruction ${m[1]}`);
  }
}
