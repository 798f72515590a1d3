/**
 * Small values unit tests share: a minimal container spec and a container row in a given
 * state, built as `create` builds one.
 *
 * @module
 */
import type { ContainerSpec, State } from "../../src/spec.ts";
import { type ContainerRow, newContainerRow } from "../../src/store/containers.ts";

/** A minimal valid spec: `sh` in the directory `/r`, host network, SIGTERM after 10 s. */
export const SPEC: ContainerSpec = {
  command: ["sh"],
  rootfs: { kind: "dir", path: "/r" },
  imageName: "/r",
  env: [],
  workdir: "/",
  user: { uid: 0, gid: 0 },
  volumes: [],
  network: "host",
  hostname: "",
  timeout: 0,
  readOnly: false,
  autoRemove: false,
  stopSignal: 15,
  stopTimeout: 10,
  runtime: "runc",
};

/** Container `c0ffee` ("web") in `state`, with the `spec` fields given changed. */
export function containerRow(state: State, spec: Partial<ContainerSpec> = {}): ContainerRow {
  return newContainerRow({ id: "c0ffee", name: "web", state, spec: { ...SPEC, ...spec } }, 0);
}
