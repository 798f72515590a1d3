/**
 * Signal forwarding for a foreground front end: the signals berth receives pass on to what
 * it runs (podman's `--sig-proxy`) instead of killing berth.
 *
 * @module
 */

/** The signals a foreground berth passes on to what it runs (podman's --sig-proxy). */
const FORWARDED: Deno.Signal[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"];

/**
 * Call `forward` with each of those signals as berth receives it, instead of dying of it.
 * Returns the function that stops forwarding.
 */
export function forwardSignals(forward: (sig: Deno.Signal) => void): () => void {
  const listeners = FORWARDED.map((sig) => {
    const handler = () => forward(sig);
    try {
      Deno.addSignalListener(sig, handler);
    } catch { /* not supported here */ }
    return { sig, handler };
  });
  return () => {
    for (const { sig, handler } of listeners) {
      try {
        Deno.removeSignalListener(sig, handler);
      } catch { /* ignore */ }
    }
  };
}
