/**
 * Every berth command, in one table: its words, its aliases, the one-line summary
 * `berth --help` lists, the usage `--help` prints, and its module, imported only when that
 * command runs or prints its own help (so `berth --help` and `--version` stay fast).
 *
 * @module
 */
import type { Entry } from "./command.ts";

type Spec = Omit<Entry, "aliases"> & { aliases?: string[] };

/** podman's `container <command>` spelling of a top-level container command. */
const container = (name: string, more: string[] = []) => [`container ${name}`, ...more];

const SPECS: Spec[] = [
  {
    name: "run",
    aliases: container("run"),
    summary: "Run a command in a new container",
    usage: "berth run [flags] (--rootfs DIR[:O] | IMAGE) [COMMAND [ARG...]]",
    load: async () => (await import("./run.ts")).runCommand,
  },
  {
    name: "create",
    aliases: container("create"),
    summary: "Create a container without starting it",
    usage: "berth create [flags] (--rootfs DIR[:O] | IMAGE) [COMMAND [ARG...]]",
    load: async () => (await import("./create.ts")).createCommand,
  },
  {
    name: "start",
    aliases: container("start"),
    summary: "Start one or more containers",
    usage: "berth start [-a] [--all] [--filter KEY=VALUE]... [CONTAINER...]",
    load: async () => (await import("./start.ts")).startCommand,
  },
  {
    name: "wait",
    aliases: container("wait"),
    summary: "Wait for containers to exit and print their exit codes",
    usage: "berth wait [--condition STATE]... [--interval DURATION] CONTAINER...",
    load: async () => (await import("./wait.ts")).waitCommand,
  },
  {
    name: "stop",
    aliases: container("stop"),
    summary: "Stop one or more running containers",
    usage: "berth stop [-t SECONDS] [-a] [--ignore] CONTAINER...",
    load: async () => (await import("./stop.ts")).stopCommand,
  },
  {
    name: "kill",
    aliases: container("kill"),
    summary: "Send a signal to running containers",
    usage: "berth kill [-s SIGNAL] [-a] CONTAINER...",
    load: async () => (await import("./kill.ts")).killCommand,
  },
  {
    name: "rm",
    aliases: container("rm"),
    summary: "Remove one or more containers",
    usage: "berth rm [-f] [-a] [-t SECONDS] [--depend] CONTAINER...",
    load: async () => (await import("./rm.ts")).rmCommand,
  },
  {
    name: "ps",
    aliases: container("ps", ["container ls", "container list"]),
    summary: "List containers",
    usage:
      "berth ps [-a] [-q] [-l] [-n N] [--no-trunc] [--noheading] [--filter KEY=VALUE] [--sort KEY] [--format FORMAT]",
    load: async () => (await import("./ps.ts")).psCommand,
  },
  {
    name: "inspect",
    aliases: container("inspect"),
    summary: "Show details of containers",
    usage: "berth inspect [--format FORMAT] CONTAINER...",
    load: async () => (await import("./inspect.ts")).inspectCommand,
  },
  {
    name: "logs",
    aliases: container("logs"),
    summary: "Show the output of a container",
    usage: "berth logs [-f] [--tail N] [-t] [--since TIME] [--until TIME] [--names] CONTAINER...",
    load: async () => (await import("./logs.ts")).logsCommand,
  },
  {
    name: "exec",
    aliases: container("exec"),
    summary: "Run a command in a running container",
    usage:
      "berth exec [-i] [-t] [-d] [-e K=V] [--env-file FILE] [-w DIR] [-u USER] CONTAINER COMMAND [ARG...]",
    load: async () => (await import("./exec.ts")).execCommand,
  },
  {
    name: "cp",
    aliases: container("cp"),
    summary: "Copy files between a container and the local filesystem",
    usage: "berth cp [--archive=BOOL] [--overwrite] CONTAINER:SRC_PATH DEST_PATH|-\n" +
      "       berth cp [--archive=BOOL] [--overwrite] SRC_PATH|- CONTAINER:DEST_PATH",
    load: async () => (await import("./cp.ts")).cpCommand,
  },
  {
    name: "attach",
    aliases: container("attach"),
    summary: "Attach to a running container's output (and stdin with -i)",
    usage: "berth attach [--no-stdin] [--sig-proxy=false] [-l] CONTAINER",
    load: async () => (await import("./attach_cmd.ts")).attachCommand,
  },
  {
    name: "restart",
    aliases: container("restart"),
    summary: "Restart one or more containers",
    usage: "berth restart [-t SECONDS] [-a] [--running] CONTAINER...",
    load: async () => (await import("./restart.ts")).restartCommand,
  },
  {
    name: "version",
    summary: "Show berth's version",
    usage: "berth version [--format json|TEMPLATE]",
    load: async () => (await import("./version.ts")).versionCommand,
  },
  {
    name: "info",
    aliases: ["system info"],
    summary: "Show the runtime, monitor and store berth uses",
    usage: "berth info [--format json|TEMPLATE]",
    load: async () => (await import("./info.ts")).infoCommand,
  },
  {
    name: "port",
    aliases: container("port"),
    summary: "List a container's published ports",
    usage: "berth port CONTAINER [PORT[/PROTO]]",
    load: async () => (await import("./port.ts")).portCommand,
  },
  {
    name: "network create",
    summary: "Create a bridge network",
    usage:
      "berth network create [--subnet CIDR] [--gateway IP] [--internal] [--label K=V]... [--disable-dns] [-d bridge] [NAME]",
    load: async () => (await import("./network.ts")).networkCreateCommand,
  },
  {
    name: "network ls",
    aliases: ["network list"],
    summary: "List networks",
    usage:
      "berth network ls [-q] [--no-trunc] [--noheading] [--filter name=|id=|driver=|label=]... [--format json|TEMPLATE]",
    load: async () => (await import("./network.ts")).networkLsCommand,
  },
  {
    name: "network inspect",
    summary: "Show networks' records",
    usage: "berth network inspect [--format json|TEMPLATE] NETWORK...",
    load: async () => (await import("./network.ts")).networkInspectCommand,
  },
  {
    name: "network rm",
    aliases: ["network remove"],
    summary: "Remove networks (-f: and the containers on them)",
    usage: "berth network rm [-f] [-t SECONDS] NETWORK...",
    load: async () => (await import("./network.ts")).networkRmCommand,
  },
  {
    name: "network exists",
    summary: "Check whether a network exists",
    usage: "berth network exists NETWORK",
    load: async () => (await import("./network.ts")).networkExistsCommand,
  },
  {
    name: "network connect",
    summary: "Connect a container to a network",
    usage: "berth network connect [--alias NAME]... NETWORK CONTAINER",
    load: async () => (await import("./network.ts")).networkConnectCommand,
  },
  {
    name: "network disconnect",
    summary: "Disconnect a container from a network",
    usage: "berth network disconnect NETWORK CONTAINER",
    load: async () => (await import("./network.ts")).networkDisconnectCommand,
  },
  {
    name: "network prune",
    summary: "Remove every network no container uses",
    usage: "berth network prune [-f]",
    load: async () => (await import("./network.ts")).networkPruneCommand,
  },
  {
    name: "container exists",
    summary: "Check whether a container exists",
    usage: "berth container exists CONTAINER",
    load: async () => (await import("./container_exists.ts")).existsCommand,
  },
  {
    name: "container cleanup",
    summary: "Clean up containers after they exit (run by conmon)",
    usage: "berth container cleanup [--rm] CONTAINER...",
    load: async () => (await import("./container_cleanup.ts")).cleanupCommand,
  },
  {
    name: "container prune",
    summary: "Remove all containers that are not running",
    usage: "berth container prune [-f]",
    load: async () => (await import("./prune.ts")).containerPruneCommand,
  },
  {
    name: "system prune",
    summary: "Remove stopped containers and unused images",
    usage: "berth system prune [-a] [-f]",
    load: async () => (await import("./prune.ts")).systemPruneCommand,
  },
  {
    name: "system refresh",
    summary: "Reset container states and clear exit codes, as after a reboot",
    usage: "berth system refresh",
    load: async () => (await import("./refresh.ts")).refreshCommand,
  },
  {
    name: "pull",
    aliases: ["image pull"],
    summary: "Pull an image from a registry",
    usage:
      "berth pull [--platform OS/ARCH[/VARIANT]] [--creds USER:PASS] [--tls-verify=false] [--cert-dir DIR] [-q] REFERENCE",
    load: async () => (await import("./image/pull.ts")).pullCommand,
  },
  {
    name: "load",
    aliases: ["image load"],
    summary: "Load images from an archive or OCI layout",
    usage: "berth load [-q] [-i FILE|DIR]   (default: stdin)",
    load: async () => (await import("./image/load.ts")).loadCommand,
  },
  {
    name: "save",
    aliases: ["image save"],
    summary: "Save images to a docker-archive or oci-archive",
    usage: "berth save [--format docker-archive|oci-archive] -o FILE IMAGE...",
    load: async () => (await import("./image/save.ts")).saveCommand,
  },
  {
    name: "import",
    aliases: ["image import"],
    summary: "Create an image from a root filesystem tarball",
    usage:
      "berth import [-c 'CMD|ENTRYPOINT|ENV|WORKDIR|USER|LABEL …']... [-m MSG] TARBALL|- [REFERENCE]",
    load: async () => (await import("./image/import.ts")).importCommand,
  },
  {
    name: "images",
    aliases: ["image ls", "image list"],
    summary: "List images",
    usage:
      "berth images [-q] [--no-trunc] [--filter reference=PATTERN|dangling=BOOL]... [--format json|TEMPLATE] [REF]",
    load: async () => (await import("./image/images.ts")).imagesCommand,
  },
  {
    name: "rmi",
    aliases: ["image rm"],
    summary: "Remove images",
    usage: "berth rmi [-f] [-i] [-a] IMAGE...",
    load: async () => (await import("./image/rmi.ts")).rmiCommand,
  },
  {
    name: "tag",
    aliases: ["image tag"],
    summary: "Add names to an image",
    usage: "berth tag IMAGE TARGET_NAME...",
    load: async () => (await import("./image/tag.ts")).tagCommand,
  },
  {
    name: "login",
    summary: "Log in to a registry",
    usage: "berth login [-u USER] [-p PASS | --password-stdin] [--tls-verify=false] REGISTRY",
    load: async () => (await import("./image/login.ts")).loginCommand,
  },
  {
    name: "logout",
    summary: "Log out of a registry",
    usage: "berth logout [--authfile FILE] (REGISTRY | --all)",
    load: async () => (await import("./image/logout.ts")).logoutCommand,
  },
  {
    name: "image inspect",
    summary: "Show details of images",
    usage: "berth image inspect [--format json|TEMPLATE] IMAGE...",
    load: async () => (await import("./image/inspect.ts")).imageInspectCommand,
  },
  {
    name: "image prune",
    summary: "Remove unused images",
    usage: "berth image prune [-a] [-f]",
    load: async () => (await import("./image/prune.ts")).imagePruneCommand,
  },
  {
    name: "image exists",
    summary: "Check whether an image exists in local storage",
    usage: "berth image exists IMAGE",
    load: async () => (await import("./image/exists.ts")).imageExistsCommand,
  },
  {
    name: "image mount",
    summary: "Mount an image's root filesystem read-only and print where",
    usage: "berth image mount [-a] [--format json] [IMAGE...]",
    load: async () => (await import("./image/mount.ts")).imageMountCommand,
  },
  {
    name: "image unmount",
    aliases: ["image umount"],
    summary: "Unmount an image's root filesystem",
    usage: "berth image unmount (-a | IMAGE...)",
    load: async () => (await import("./image/mount.ts")).imageUnmountCommand,
  },
  {
    name: "completion",
    summary: "Print a shell completion script",
    usage: "berth completion bash|zsh|fish",
    load: async () => (await import("./completion.ts")).completionCommand,
  },
  {
    name: "__complete",
    summary: "The candidates for the word being completed (used by the completion scripts)",
    usage: "berth __complete -- WORD...",
    load: async () => (await import("./complete.ts")).completeCommand(VISIBLE),
    hidden: true,
  },
];

/** Every command, hidden ones too, in the order `berth --help` lists them. */
export const REGISTRY: readonly Entry[] = SPECS.map((s) => ({ ...s, aliases: s.aliases ?? [] }));

/** The commands a user is shown: in `berth --help`, suggestions and completions. */
export const VISIBLE: readonly Entry[] = REGISTRY.filter((e) => !e.hidden);

/** Every command by each of its names and aliases. */
export const COMMANDS: Readonly<Record<string, Entry>> = Object.fromEntries(
  REGISTRY.flatMap((e) => [e.name, ...e.aliases].map((name) => [name, e])),
);

/**
 * The names `berth --help` lists for an entry: its own, and aliases that are not podman's
 * `container …`/`image …` mirror of a top-level command (so `system info` is listed).
 */
export function listedNames(entry: Entry): string[] {
  return [
    entry.name,
    ...entry.aliases.filter((a) => !a.startsWith("container ") && !a.startsWith("image ")),
  ];
}
