import { assertEquals } from "./assert.ts";
import { cgroupDirs, cgroupsPath, removeCgroupDirs } from "../../src/oci/cgroups.ts";

const ID = "c".repeat(64);

Deno.test("cgroups: one directory per hierarchy plus the v2 one; removal skips what is gone", async () => {
  const root = Deno.makeTempDirSync({ prefix: "berth-cgroups-" });
  try {
    for (const h of ["pids", "memory", "unified"]) {
      Deno.mkdirSync(`${root}/${h}/berth/${ID}`, { recursive: true });
    }
    Deno.writeTextFileSync(`${root}/not-a-hierarchy`, "");
    assertEquals(cgroupsPath(ID), `/berth/${ID}`);
    const dirs = cgroupDirs(ID, root);
    assertEquals(dirs[0], `${root}/berth/${ID}`);
    assertEquals(
      dirs.slice(1).sort(),
      ["memory", "pids", "unified"].map((h) => `${root}/${h}/berth/${ID}`),
    );
    // A directory with content stands in for a cgroup that still has processes.
    Deno.writeTextFileSync(`${root}/pids/berth/${ID}/busy`, "");
    assertEquals(await removeCgroupDirs(dirs, 120), [`${root}/pids/berth/${ID}`]);
    Deno.removeSync(`${root}/pids/berth/${ID}/busy`);
    assertEquals(await removeCgroupDirs(dirs, 0), []);
    assertEquals(cgroupDirs(ID, `${root}/absent`), [`${root}/absent/berth/${ID}`]);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
