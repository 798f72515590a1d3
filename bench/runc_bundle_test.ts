import assert from "node:assert/strict";
import { capLimit, parseLimits, patchSpec } from "./runc_bundle.ts";

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units     
Max cpu time              unlimited            unlimited            seconds   
Max processes             96364                96364                processes 
Max open files            20000                20000                files     
Max realtime priority     0                    0                    
`;

Deno.test("parseLimits reads soft and hard limits, unlimited as null", () => {
  const l = parseLimits(LIMITS);
  assert.deepEqual(l["Max open files"], { soft: 20000, hard: 20000 });
  assert.deepEqual(l["Max processes"], { soft: 96364, hard: 96364 });
  assert.deepEqual(l["Max cpu time"], { soft: null, hard: null });
  assert.deepEqual(l["Max realtime priority"], { soft: 0, hard: 0 });
});

Deno.test("capLimit lowers to the hard limit only", () => {
  assert.equal(capLimit(1024, 20000), 1024);
  assert.equal(capLimit(1024, 512), 512);
  assert.equal(capLimit(1024, null), 1024);
});

Deno.test("patchSpec sets terminal, args, root and rlimits without touching the template", () => {
  const template = {
    ociVersion: "1.0.2-dev",
    process: {
      terminal: true,
      args: ["sh"],
      rlimits: [
        { type: "RLIMIT_NOFILE", hard: 1024, soft: 1024 },
        { type: "RLIMIT_CORE", hard: 0, soft: 0 },
      ],
    },
    root: { path: "rootfs", readonly: true },
  };
  const spec = patchSpec(template, {
    rootfs: "/tmp/r",
    args: ["/bin/true"],
    nofile: 900,
    nproc: 800,
  });
  assert.equal(spec.process.terminal, false);
  assert.deepEqual(spec.process.args, ["/bin/true"]);
  assert.deepEqual(spec.root, { path: "/tmp/r", readonly: false });
  assert.deepEqual(spec.process.rlimits, [
    { type: "RLIMIT_CORE", hard: 0, soft: 0 },
    { type: "RLIMIT_NOFILE", hard: 900, soft: 900 },
    { type: "RLIMIT_NPROC", hard: 800, soft: 800 },
  ]);
  assert.equal(spec.ociVersion, "1.0.2-dev");
  assert.equal(template.process.terminal, true);
  assert.equal(template.root.path, "rootfs");
});
