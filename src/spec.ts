/**
 * The container spec types: what a container was created with (the settings `create`/`run`
 * validated and stored), its states, and the `/etc` files generated for it.
 * Everything the OCI config is later generated from lives here.
 *
 * @module
 */
import type { SeccompProfile } from "./oci/seccomp.ts";

/** A bind mount from the host. */
export interface VolumeSpec {
  source: string;
  destination: string;
  readOnly: boolean;
}

/** A tmpfs mount (`--tmpfs`, `--mount type=tmpfs`). */
export interface TmpfsSpec {
  destination: string;
  options: string[];
}

/** cgroup limits (`-m`, `--memory-swap`, `--cpus`, `--cpu-shares`, `--pids-limit`). */
export interface ResourceSpec {
  /** bytes */
  memory?: number;
  /** bytes of memory plus swap; -1 = unlimited */
  memorySwap?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  cpuShares?: number;
  pidsLimit?: number;
}

/** `--dns`, `--dns-search`, `--dns-option`: a resolv.conf of the user's instead of the host's. */
export interface DnsSpec {
  servers: string[];
  search: string[];
  options: string[];
}

/** A published port (`-p`), in netavark's `port_mappings` shape. */
export interface PortMapping {
  /** `""`: every address of the host. */
  host_ip: string;
  container_port: number;
  host_port: number;
  /** Consecutive ports mapped, starting at both ports (1: just those). */
  range: number;
  protocol: "tcp" | "udp";
}

/** `--device-cgroup-rule`: one more entry of the device cgroup's allow list. */
export interface DeviceRule {
  /** `a` (all), `b` (block) or `c` (char) */
  type: "a" | "b" | "c";
  /** undefined = any (`*`) */
  major?: number;
  minor?: number;
  /** some of `rwm` */
  access: string;
}

/** The container's root filesystem. */
export type RootfsSpec =
  /** a directory used in place (`--rootfs DIR`) */
  | { kind: "dir"; path: string }
  /** an overlay over read-only lower dirs, topmost first (`--rootfs DIR:O`, or image layers) */
  | { kind: "overlay"; lowers: string[] };

/** podman's restart policy names (`--restart`); `no` was given explicitly. */
export type RestartPolicyName = "no" | "always" | "on-failure" | "unless-stopped";

/** `--restart NAME[:N]`: what the cleanup does when the container exits on its own. */
export interface RestartPolicy {
  name: RestartPolicyName;
  /** `on-failure:N`: at most N restarts; 0 = no limit. */
  maxRetries: number;
}

/** The stored settings of one container. */
export interface ContainerSpec {
  /** process.args */
  command: string[];
  rootfs: RootfsSpec;
  /** `--rootfs DIR[:O]` as given, or the image reference, for `ps`/`inspect`. */
  imageName: string;
  /** The image ID when created from an image. */
  imageId?: string;
  /** The digest of that image's manifest (`sha256:…`), as it was at create. */
  imageDigest?: string;
  env: string[];
  workdir: string;
  /** The user named the workdir (`--workdir`): it must exist; an image's is created. */
  workdirMustExist?: boolean;
  user: { uid: number; gid: number };
  volumes: VolumeSpec[];
  /**
   * `container`: it joins the network namespace of container {@linkcode networkFrom};
   * `bridge`: a namespace of its own on the bridge networks {@linkcode networks}.
   */
  network: "host" | "none" | "container" | "bridge";
  /** `--network NAME[,NAME]`: the networks' names (bridge only). */
  networks?: string[];
  /** `--network-alias`: more names the network's DNS answers with this container. */
  networkAliases?: string[];
  /** `--ip`: the address asked for on its (one) network. */
  staticIp?: string;
  /** `--mac-address`: the MAC address of its interface on its (one) network. */
  staticMac?: string;
  /** `-p/--publish`: host ports forwarded to the container (bridge only). */
  ports?: PortMapping[];
  /** `--network container:X`: X's full ID (resolved at create). */
  networkFrom?: string;
  hostname: string;
  /** `--timeout`: seconds before conmon kills the container; 0 = none. */
  timeout: number;
  readOnly: boolean;
  autoRemove: boolean;
  stopSignal: number;
  stopTimeout: number;
  /** The OCI runtime this container was created with (name or path). */
  runtime: string;
  /** `-i`: the container's stdin is a pipe fed through conmon's attach socket. */
  interactive?: boolean;
  /** `-t`: the container's stdio is a pseudo-terminal that conmon allocates and logs. */
  tty?: boolean;
  /** The capability set (`--cap-add`/`--cap-drop`); podman's default set when absent. */
  capabilities?: string[];
  /** `--sig-proxy` (default true): a foreground berth forwards signals to the container. */
  sigProxy?: boolean;
  /** `--conmon-pidfile`: also write conmon's PID here at each start. */
  conmonPidFile?: string;
  /** `--ulimit`: rlimits that replace the host's defaults of the same type. */
  ulimits?: { type: string; soft: number; hard: number }[];
  resources?: ResourceSpec;
  tmpfs?: TmpfsSpec[];
  /** `--label`, `--label-file` */
  labels?: Record<string, string>;
  /** `--add-host`: extra `/etc/hosts` lines. */
  addHosts?: string[];
  dns?: DnsSpec;
  /** `--dns none`: no `/etc/resolv.conf` from berth at all. */
  noDns?: boolean;
  /** `--privileged`: every capability, no masked paths, every device allowed, no seccomp. */
  privileged?: boolean;
  /**
   * `--security-opt seccomp=…`: `unconfined`, or the profile file given (read at create, so
   * the container does not depend on the file later). berth's default profile when absent.
   */
  seccomp?: "unconfined" | { file: string; profile: SeccompProfile };
  /** `--security-opt no-new-privileges` */
  noNewPrivileges?: boolean;
  /** `--group-add`: supplementary group IDs. */
  groupAdd?: number[];
  /** `--restart`; absent when not given (podman's policy `""`, filter `restart-policy=none`). */
  restartPolicy?: RestartPolicy;
  /** `--tz`: a zone under /usr/share/zoneinfo, or `local` (the host's /etc/localtime at start). */
  timezone?: string;
  /** `--device-cgroup-rule`: devices the container may use besides the default ones. */
  deviceRules?: DeviceRule[];
  /** `--log-opt max-size`: bytes after which conmon rotates the log. */
  logSizeMax?: number;
  /** podman's systemd mode (`--systemd`, decided at create from the mode and the command). */
  systemd?: boolean;
}

/** All states, in lifecycle order (see lifecycle.md); the table and predicates are in `engine/states.ts`. */
export const STATES = [
  "created",
  "initialized",
  "running",
  "stopping",
  "stopped",
  "exited",
  "removing",
] as const;

/** A container's state. */
export type State = typeof STATES[number];

/** Where the generated files are, to bind into the container at `/etc/<name>`. */
export interface EtcFiles {
  resolvConf?: string;
  hosts: string;
  hostname: string;
  /** A copy of the image's passwd/group with an entry for a `--user` it does not list. */
  passwd?: string;
  group?: string;
  /** A copy of the `--tz` zone file, bound at `/etc/localtime`. */
  localtime?: string;
  /** `/run/.containerenv`: empty, or with `--privileged` what the container is. */
  containerenv?: string;
}
