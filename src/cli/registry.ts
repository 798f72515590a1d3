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
    description:
      "Creates a container from an image (or a root filesystem directory given with --rootfs), starts it and attaches to it: its output is berth's output, berth's stdin feeds it with -i, and berth exits with the container's exit code. With -d it starts the container in the background and prints its ID instead. The container shares the host's network unless --network says otherwise; a missing image is pulled first (see --pull).",
    examples: [
      "berth run --rm docker.io/library/alpine echo hello",
      "berth run -d --name web -v /srv:/srv:ro docker.io/library/busybox httpd -f",
      "berth run --rm --rootfs /tmp/rootfs /bin/sh -c 'exit 3'",
    ],
    load: async () => (await import("./run.ts")).runCommand,
  },
  {
    name: "create",
    aliases: container("create"),
    summary: "Create a container without starting it",
    usage: "berth create [flags] (--rootfs DIR[:O] | IMAGE) [COMMAND [ARG...]]",
    description:
      "Creates a container from an image (or a root filesystem directory given with --rootfs) and prints its ID, without starting it; berth start starts it. It takes the flags of berth run except --detach.",
    examples: [
      "berth create --name job docker.io/library/alpine sleep 60",
      "berth create --rm -e MODE=ci --rootfs /tmp/rootfs /bin/true",
    ],
    load: async () => (await import("./create.ts")).createCommand,
  },
  {
    name: "start",
    aliases: container("start"),
    summary: "Start one or more containers",
    usage: "berth start [-a] [--all] [--filter KEY=VALUE]... [CONTAINER...]",
    description:
      "Starts one or more created or exited containers and prints each name as given. With --attach it attaches to the container's output (and stdin with -i) and exits with its exit code, as run does.",
    examples: ["berth start job", "berth start -a -i job", "berth start --all --filter label=ci"],
    load: async () => (await import("./start.ts")).startCommand,
  },
  {
    name: "wait",
    aliases: container("wait"),
    summary: "Wait for containers to exit and print their exit codes",
    usage: "berth wait [--condition STATE]... [--interval DURATION] CONTAINER...",
    description:
      "Waits until each container reaches one of the given states (by default, until it has exited) and prints its exit code. A container removed meanwhile, or before, still gives its code.",
    examples: ["berth wait job", "berth wait --condition running job"],
    load: async () => (await import("./wait.ts")).waitCommand,
  },
  {
    name: "stop",
    aliases: container("stop"),
    summary: "Stop one or more running containers",
    usage: "berth stop [-t SECONDS] [-a] [--ignore] CONTAINER...",
    description:
      "Stops one or more running containers: sends the stop signal (TERM unless --stop-signal said otherwise), waits up to the timeout, then kills them. Prints each name as given.",
    examples: ["berth stop job", "berth stop -t 0 --all"],
    load: async () => (await import("./stop.ts")).stopCommand,
  },
  {
    name: "kill",
    aliases: container("kill"),
    summary: "Send a signal to running containers",
    usage: "berth kill [-s SIGNAL] [-a] CONTAINER...",
    description:
      "Sends a signal (KILL by default) to the main process of one or more running containers, and prints each name as given.",
    examples: ["berth kill job", "berth kill -s HUP web"],
    load: async () => (await import("./kill.ts")).killCommand,
  },
  {
    name: "rm",
    aliases: container("rm"),
    summary: "Remove one or more containers",
    usage: "berth rm [-f] [-a] [-t SECONDS] [--depend] CONTAINER...",
    description:
      "Removes one or more containers and prints each name as given; a running container needs --force, which stops it first.",
    examples: ["berth rm job", "berth rm -f web", "berth rm --all --force"],
    load: async () => (await import("./rm.ts")).rmCommand,
  },
  {
    name: "ps",
    aliases: container("ps", ["container ls", "container list"]),
    summary: "List containers",
    usage:
      "berth ps [-a] [-q] [-l] [-n N] [--no-trunc] [--noheading] [--filter KEY=VALUE] [--sort KEY] [--format FORMAT]",
    description: "Lists the running containers, or all of them with --all, oldest first.",
    examples: [
      "berth ps -a",
      "berth ps -a --filter status=exited --format '{{.ID}} {{.Names}}'",
      "berth ps -q --no-trunc",
    ],
    load: async () => (await import("./ps.ts")).psCommand,
  },
  {
    name: "inspect",
    aliases: container("inspect"),
    summary: "Show details of containers",
    usage: "berth inspect [--format FORMAT] CONTAINER...",
    description:
      "Prints the configuration and state of containers as JSON, or through a Go template. A name that is no container may be an image (as with podman's inspect).",
    examples: ["berth inspect job", "berth inspect --format '{{.State.ExitCode}}' job"],
    load: async () => (await import("./inspect.ts")).inspectCommand,
  },
  {
    name: "logs",
    aliases: container("logs"),
    summary: "Show the output of a container",
    usage: "berth logs [-f] [--tail N] [-t] [--since TIME] [--until TIME] [--names] CONTAINER...",
    description:
      "Prints what containers wrote to stdout and stderr, from conmon's log file; with several containers each line is prefixed with its container's ID or name.",
    examples: ["berth logs job", "berth logs -f --tail 10 web", "berth logs --since 10m -t job"],
    load: async () => (await import("./logs.ts")).logsCommand,
  },
  {
    name: "exec",
    aliases: container("exec"),
    summary: "Run a command in a running container",
    usage:
      "berth exec [-i] [-t] [-d] [-e K=V] [--env-file FILE] [-w DIR] [-u USER] CONTAINER COMMAND [ARG...]",
    description:
      "Runs a command in a running container, with the container's environment, user and working directory unless the flags say otherwise, and exits with the command's exit code.",
    examples: [
      "berth exec web ls /www",
      "berth exec -it web sh",
      "berth exec -e DEBUG=1 -u nobody web env",
    ],
    load: async () => (await import("./exec.ts")).execCommand,
  },
  {
    name: "cp",
    aliases: container("cp"),
    summary: "Copy files between a container and the local filesystem",
    usage: "berth cp [--archive=BOOL] [--overwrite] CONTAINER:SRC_PATH DEST_PATH|-\n" +
      "       berth cp [--archive=BOOL] [--overwrite] SRC_PATH|- CONTAINER:DEST_PATH",
    description:
      "Copies files or directories between a container (CONTAINER:PATH) and the local filesystem; - streams a tar archive on stdin or stdout instead.",
    examples: [
      "berth cp job:/etc/os-release .",
      "berth cp ./config.json job:/etc/app/",
      "berth cp job:/var/log - > logs.tar",
    ],
    load: async () => (await import("./cp.ts")).cpCommand,
  },
  {
    name: "attach",
    aliases: container("attach"),
    summary: "Attach to a running container's output (and stdin with -i)",
    usage: "berth attach [--no-stdin] [--sig-proxy=false] [-l] CONTAINER",
    description:
      "Attaches to a running container's output, and to its stdin when it was created with -i, until it exits; berth then exits with its exit code.",
    examples: ["berth attach web", "berth attach --no-stdin web"],
    load: async () => (await import("./attach_cmd.ts")).attachCommand,
  },
  {
    name: "restart",
    aliases: container("restart"),
    summary: "Restart one or more containers",
    usage: "berth restart [-t SECONDS] [-a] [--running] CONTAINER...",
    description:
      "Stops (as berth stop) and starts again one or more containers, and prints each name as given.",
    examples: ["berth restart web", "berth restart --running"],
    load: async () => (await import("./restart.ts")).restartCommand,
  },
  {
    name: "version",
    summary: "Show berth's version",
    usage: "berth version [--format json|TEMPLATE]",
    description: "Prints the version of berth and of the Deno it runs on.",
    examples: ["berth version", "berth version --format json"],
    load: async () => (await import("./version.ts")).versionCommand,
  },
  {
    name: "info",
    aliases: ["system info"],
    summary: "Show the runtime, monitor and store berth uses",
    usage: "berth info [--format json|TEMPLATE]",
    description:
      "Prints what berth uses: the OCI runtime, conmon, the store's paths, and the configuration files it read.",
    examples: ["berth info", "berth info --format '{{.Store.GraphRoot}}'"],
    load: async () => (await import("./info.ts")).infoCommand,
  },
  {
    name: "port",
    aliases: container("port"),
    summary: "List a container's published ports",
    usage: "berth port CONTAINER [PORT[/PROTO]]",
    description:
      "Prints the container's published ports as podman does, one per line (80/tcp -> 127.0.0.1:8080); with a port, only the host addresses it is published on.",
    examples: ["berth port web", "berth port web 80/tcp"],
    load: async () => (await import("./port.ts")).portCommand,
  },
  {
    name: "network create",
    summary: "Create a bridge network",
    usage:
      "berth network create [--subnet CIDR] [--gateway IP] [--internal] [--label K=V]... [--disable-dns] [-d bridge] [NAME]",
    description:
      "Creates a bridge network (netavark sets it up when its first container starts): its own subnet, by default the first free /24 of 10.90.0.0/16 that no other network and no host route uses, with the first address as the gateway; containers on it reach each other by name through aardvark-dns unless --disable-dns, and no other network. Prints the name.",
    examples: [
      "berth network create ci",
      "berth network create --subnet 10.199.0.0/24 --label job=42 ci",
    ],
    load: async () => (await import("./network.ts")).networkCreateCommand,
  },
  {
    name: "network ls",
    aliases: ["network list"],
    summary: "List networks",
    usage:
      "berth network ls [-q] [--no-trunc] [--noheading] [--filter name=|id=|driver=|label=]... [--format json|TEMPLATE]",
    description:
      "Lists the networks by name, with podman's columns, or one template per network ({{.Name}}, {{.ID}}, {{.Driver}}, {{.Subnets}}, {{.Labels}}, …).",
    examples: ["berth network ls", "berth network ls --filter label=job=42 -q"],
    load: async () => (await import("./network.ts")).networkLsCommand,
  },
  {
    name: "network inspect",
    summary: "Show networks' records",
    usage: "berth network inspect [--format json|TEMPLATE] NETWORK...",
    description:
      "Prints each network's record as podman stores it (name, id, driver, network_interface, subnets, internal, dns_enabled, labels, options).",
    examples: ["berth network inspect ci", "berth network inspect --format '{{.Subnets}}' ci"],
    load: async () => (await import("./network.ts")).networkInspectCommand,
  },
  {
    name: "network rm",
    aliases: ["network remove"],
    summary: "Remove networks (-f: and the containers on them)",
    usage: "berth network rm [-f] [-t SECONDS] NETWORK...",
    description:
      "Removes networks no container uses and prints each name; a network in use is refused (status 2) unless -f, which removes its containers first (stopping running ones). A missing network is status 1, or passed over with -f.",
    examples: ["berth network rm ci", "berth network rm -f -t 0 ci"],
    load: async () => (await import("./network.ts")).networkRmCommand,
  },
  {
    name: "network exists",
    summary: "Check whether a network exists",
    usage: "berth network exists NETWORK",
    description: "Exits 0 if the network exists and 1 if it does not, printing nothing.",
    examples: ["berth network exists ci"],
    load: async () => (await import("./network.ts")).networkExistsCommand,
  },
  {
    name: "network connect",
    summary: "Connect a container to a network",
    usage: "berth network connect [--alias NAME]... NETWORK CONTAINER",
    description:
      "Adds a bridge network to a container on bridge networks: a running one gets the interface at once, any other at its next start.",
    examples: ["berth network connect --alias db ci postgres"],
    load: async () => (await import("./network.ts")).networkConnectCommand,
  },
  {
    name: "network disconnect",
    summary: "Disconnect a container from a network",
    usage: "berth network disconnect NETWORK CONTAINER",
    description:
      "Takes a bridge network from a container that is on others too: a running one loses the interface and its address at once.",
    examples: ["berth network disconnect ci postgres"],
    load: async () => (await import("./network.ts")).networkDisconnectCommand,
  },
  {
    name: "container exists",
    summary: "Check whether a container exists",
    usage: "berth container exists CONTAINER",
    description: "Exits 0 if the container exists and 1 if it does not, printing nothing.",
    examples: ["berth container exists job"],
    load: async () => (await import("./container_exists.ts")).existsCommand,
  },
  {
    name: "container cleanup",
    summary: "Clean up containers after they exit (run by conmon)",
    usage: "berth container cleanup [--rm] CONTAINER...",
    description:
      "Cleans up containers that have exited: records the exit code, deletes the runtime's container and releases its mounts, and removes the container with --rm. conmon runs it when a container exits; it is safe to run again.",
    examples: ["berth container cleanup --rm job"],
    load: async () => (await import("./container_cleanup.ts")).cleanupCommand,
  },
  {
    name: "container prune",
    summary: "Remove all containers that are not running",
    usage: "berth container prune [-f]",
    description:
      "Removes every container that is not running, after asking unless --force is given, and prints their IDs.",
    examples: ["berth container prune -f"],
    load: async () => (await import("./prune.ts")).containerPruneCommand,
  },
  {
    name: "system prune",
    summary: "Remove stopped containers and unused images",
    usage: "berth system prune [-a] [-f]",
    description:
      "Removes every stopped container and the dangling images (or, with --all, every image no container uses), after asking unless --force is given.",
    examples: ["berth system prune -f", "berth system prune -a -f"],
    load: async () => (await import("./prune.ts")).systemPruneCommand,
  },
  {
    name: "system refresh",
    summary: "Reset container states and clear exit codes, as after a reboot",
    usage: "berth system refresh",
    description:
      "Resets every container that was not exited to created and clears the recorded exit codes, as berth does by itself after a reboot.",
    examples: ["berth system refresh"],
    load: async () => (await import("./refresh.ts")).refreshCommand,
  },
  {
    name: "pod kill",
    summary: "Send a signal to the containers of a pod (berth has no pods)",
    usage: "berth pod kill [-s SIGNAL] [-a] POD...",
    description:
      "Pods are podman's, not berth's: the signal is checked as podman checks it, then every named pod is missing (exit 125); with --all there is nothing to signal.",
    examples: ["berth pod kill -s TERM mypod"],
    load: async () => (await import("./pod.ts")).podKillCommand,
  },
  {
    name: "pod rm",
    summary: "Remove pods (berth has no pods)",
    usage: "berth pod rm [-a] [-f] [-i] [-t SECONDS] POD...",
    description:
      "berth has no pods: every named pod is missing (exit 1, or 0 with --ignore); --all removes nothing and succeeds.",
    examples: ["berth pod rm -f -a"],
    load: async () => (await import("./pod.ts")).podRmCommand,
  },
  {
    name: "pod exists",
    summary: "Check whether a pod exists (berth has no pods: exit 1)",
    usage: "berth pod exists POD",
    description: "berth has no pods, so this always exits 1, printing nothing.",
    examples: ["berth pod exists mypod"],
    load: async () => (await import("./pod.ts")).podExistsCommand,
  },
  {
    name: "network prune",
    summary: "Remove every network no container uses",
    usage: "berth network prune [-f] [--filter KEY=VALUE]...",
    description:
      "Removes every network that no container uses (the default network berth stays) and prints each name; asks first unless -f.",
    examples: ["berth network prune -f", "berth network prune -f --filter label=job=42"],
    load: async () => (await import("./network.ts")).networkPruneCommand,
  },
  {
    name: "pull",
    aliases: ["image pull"],
    summary: "Pull an image from a registry",
    usage:
      "berth pull [--platform OS/ARCH[/VARIANT]] [--creds USER:PASS] [--tls-verify=false] [--cert-dir DIR] [-q] REFERENCE",
    description:
      "Pulls an image from a registry into local storage and prints its ID. Credentials come from --creds or the auth file (see berth login).",
    examples: [
      "berth pull docker.io/library/alpine:3.20",
      "berth pull --platform linux/arm64 quay.io/podman/hello",
      "berth pull --tls-verify=false localhost:5000/app:1",
    ],
    load: async () => (await import("./image/pull.ts")).pullCommand,
  },
  {
    name: "load",
    aliases: ["image load"],
    summary: "Load images from an archive or OCI layout",
    usage: "berth load [-q] [-i FILE|DIR]   (default: stdin)",
    description:
      "Loads images from a docker-archive or oci-archive tarball, or an OCI layout directory, read from stdin or --input, and prints their names.",
    examples: ["berth load -i alpine.tar", "berth load < app.tar"],
    load: async () => (await import("./image/load.ts")).loadCommand,
  },
  {
    name: "save",
    aliases: ["image save"],
    summary: "Save images to a docker-archive or oci-archive",
    usage: "berth save [--format docker-archive|oci-archive] -o FILE IMAGE...",
    description:
      "Writes images to a docker-archive or oci-archive tarball, on stdout or in --output.",
    examples: [
      "berth save -o alpine.tar docker.io/library/alpine",
      "berth save --format oci-archive app:1 > app.tar",
    ],
    load: async () => (await import("./image/save.ts")).saveCommand,
  },
  {
    name: "import",
    aliases: ["image import"],
    summary: "Create an image from a root filesystem tarball",
    usage:
      "berth import [-c 'CMD|ENTRYPOINT|ENV|WORKDIR|USER|LABEL …']... [-m MSG] TARBALL|- [REFERENCE]",
    description:
      "Creates an image from a tarball of a root filesystem (- for stdin), with the configuration --change gives it, and prints its ID.",
    examples: [
      "berth import rootfs.tar my/base:1",
      "berth import -c 'CMD [\"/bin/sh\"]' -c 'ENV A=1' - my/base < rootfs.tar",
    ],
    load: async () => (await import("./image/import.ts")).importCommand,
  },
  {
    name: "images",
    aliases: ["image ls", "image list"],
    summary: "List images",
    usage:
      "berth images [-q] [--no-trunc] [--filter reference=PATTERN|dangling=BOOL]... [--format json|TEMPLATE] [REF]",
    description:
      "Lists the images in local storage, one line per name; REF shows only the images it matches, as --filter reference=REF does.",
    examples: [
      "berth images",
      "berth images --filter dangling=true -q",
      "berth images --format '{{.Repository}}:{{.Tag}}'",
    ],
    load: async () => (await import("./image/images.ts")).imagesCommand,
  },
  {
    name: "rmi",
    aliases: ["image rm"],
    summary: "Remove images",
    usage: "berth rmi [-f] [-i] [-a] IMAGE...",
    description:
      "Removes images from local storage: each name given is untagged, and an image is deleted when it has no names left and no container uses it (with --force, its containers are removed too).",
    examples: ["berth rmi docker.io/library/alpine", "berth rmi -a -f"],
    load: async () => (await import("./image/rmi.ts")).rmiCommand,
  },
  {
    name: "tag",
    aliases: ["image tag"],
    summary: "Add names to an image",
    usage: "berth tag IMAGE TARGET_NAME...",
    description: "Adds one or more names to a local image.",
    examples: ["berth tag docker.io/library/alpine localhost:5000/alpine:ci"],
    load: async () => (await import("./image/tag.ts")).tagCommand,
  },
  {
    name: "commit",
    aliases: ["container commit"],
    summary: "Create a new image from a container's changes",
    usage: "berth commit [-q] [-a AUTHOR] [-m MESSAGE] [-c CHANGE]... CONTAINER [IMAGE]",
    description:
      "Adds the container's overlay changes (files added, changed and removed) to its image as one new layer and stores the result, named IMAGE when given; the container's command becomes the image's Cmd. Prints the new image's ID.",
    examples: ['berth commit -m "with curl" job localhost/job:1'],
    load: async () => (await import("./commit.ts")).commitCommand,
  },
  {
    name: "untag",
    aliases: ["image untag"],
    summary: "Remove names from an image (all of them when none is given)",
    usage: "berth untag IMAGE [NAME...]",
    description:
      "Takes the given names off an image, or all its names when none is given. The image itself stays (dangling when it has no names left).",
    examples: ["berth untag localhost/job:1", "berth untag localhost/job:1 localhost/job:old"],
    load: async () => (await import("./image/untag.ts")).untagCommand,
  },
  {
    name: "login",
    summary: "Log in to a registry",
    usage: "berth login [-u USER] [-p PASS | --password-stdin] [--tls-verify=false] REGISTRY",
    description:
      "Checks a user name and password against a registry and stores them in the auth file, for pull and run.",
    examples: ["printf '%s' \"$TOKEN\" | berth login -u ci --password-stdin registry.example.com"],
    load: async () => (await import("./image/login.ts")).loginCommand,
  },
  {
    name: "logout",
    summary: "Log out of a registry",
    usage: "berth logout [--authfile FILE] (REGISTRY | --all)",
    description:
      "Removes the stored credentials of a registry (or of every registry) from the auth file.",
    examples: ["berth logout registry.example.com", "berth logout --all"],
    load: async () => (await import("./image/logout.ts")).logoutCommand,
  },
  {
    name: "image inspect",
    summary: "Show details of images",
    usage: "berth image inspect [--format json|TEMPLATE] IMAGE...",
    description: "Prints the configuration of images as JSON, or through a Go template.",
    examples: [
      "berth image inspect docker.io/library/alpine",
      "berth image inspect --format '{{.Id}}' alpine",
    ],
    load: async () => (await import("./image/inspect.ts")).imageInspectCommand,
  },
  {
    name: "image prune",
    summary: "Remove unused images",
    usage: "berth image prune [-a] [-f]",
    description:
      "Removes the dangling images (those without a name), or with --all every image no container uses, and prints their IDs.",
    examples: ["berth image prune", "berth image prune -a -f"],
    load: async () => (await import("./image/prune.ts")).imagePruneCommand,
  },
  {
    name: "image exists",
    summary: "Check whether an image exists in local storage",
    usage: "berth image exists IMAGE",
    description: "Exits 0 if the image is in local storage and 1 if it is not, printing nothing.",
    examples: ["berth image exists docker.io/library/alpine"],
    load: async () => (await import("./image/exists.ts")).imageExistsCommand,
  },
  {
    name: "image mount",
    summary: "Mount an image's root filesystem read-only and print where",
    usage: "berth image mount [-a] [--format json] [IMAGE...]",
    description:
      "Mounts a read-only view of an image (an overlay of its layers, or a bind of its only layer) under the store and prints where; without arguments, lists the mounted images.",
    examples: ["berth image mount docker.io/library/alpine"],
    load: async () => (await import("./image/mount.ts")).imageMountCommand,
  },
  {
    name: "image unmount",
    aliases: ["image umount"],
    summary: "Unmount an image's root filesystem",
    usage: "berth image unmount (-a | IMAGE...)",
    description: "Unmounts the view image mount made; -a unmounts every mounted image.",
    examples: ["berth image unmount -a"],
    load: async () => (await import("./image/mount.ts")).imageUnmountCommand,
  },
  {
    name: "completion",
    summary: "Print a shell completion script",
    usage: "berth completion bash|zsh|fish",
    description:
      "Prints a completion script for bash, zsh or fish: commands, flags, and container and image names from the store in use.",
    examples: [
      "source <(berth completion bash)",
      "berth completion fish > ~/.config/fish/completions/berth.fish",
    ],
    load: async () => (await import("./completion.ts")).completionCommand,
  },
  {
    name: "__complete",
    summary: "The candidates for the word being completed (used by the completion scripts)",
    usage: "berth __complete -- WORD...",
    description:
      "Prints the completions of the last word, one per line; the completion scripts call it.",
    examples: ["berth __complete -- rm --"],
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
