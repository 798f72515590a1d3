/**
 * What the image subsystem hands the container engine.
 *
 * @module
 */

/** The parts of an OCI image config that `create`/`run` apply (docker's rules). */
export interface ImageRunConfig {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Env?: string[] | null;
  WorkingDir?: string;
  User?: string;
  StopSignal?: string;
  /** `{"80/tcp": {}}`: what `-P` publishes. */
  ExposedPorts?: Record<string, unknown> | null;
}

/** An image ready to be a container's root filesystem. */
export interface ResolvedImage {
  /** sha256 hex of the config (the image ID). */
  id: string;
  /** The digest of its manifest (`sha256:…`), podman's `.ImageDigest` of a container. */
  digest: string;
  /** The normalised reference it was found by, e.g. docker.io/library/busybox:latest. */
  name: string;
  /** Extracted layer directories, topmost first (overlay lowerdir order). */
  lowerDirs: string[];
  config: ImageRunConfig;
}

/** `--pull` policies. */
export type PullPolicy = "missing" | "always" | "never";
