/**
 * `berth port CONTAINER [PORT[/PROTO]]`: the container's published ports, podman's lines
 * (`80/tcp -> 127.0.0.1:8080`); with a port, just its host addresses (`127.0.0.1:8080`).
 *
 * @module
 */
import type { Command } from "./command.ts";
import { out } from "./command.ts";
import { UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { portLines } from "../network/ports.ts";

/** `port` */
export const portCommand: Command = {
  flags: {},
  async run(global, p) {
    const [name, wanted, more] = p.positionals;
    if (!name || more !== undefined) {
      throw new UsageError("port requires a CONTAINER and at most one PORT[/PROTO]");
    }
    const engine = await openEngine(global);
    const lines = portLines(findContainer(engine, name).spec.ports ?? []);
    if (wanted === undefined) {
      await out(lines.map((l) => `${l}\n`).join(""));
      return 0;
    }
    const key = wanted.includes("/") ? wanted : `${wanted}/tcp`;
    const hits = lines.filter((l) => l.startsWith(`${key} -> `)).map((l) => l.split(" -> ")[1]);
    if (!hits.length) throw new UsageError(`failed to find published port "${wanted}"`);
    await out(hits.map((h) => `${h}\n`).join(""));
    return 0;
  },
};
