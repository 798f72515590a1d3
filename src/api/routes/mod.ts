/**
 * Every route of the API, concatenated from the area files.
 *
 * @module
 */
import type { Route } from "../router.ts";
import { routes as system } from "./system.ts";
import { routes as containers } from "./containers.ts";
import { routes as exec } from "./exec.ts";
import { routes as imagesCreate } from "./images_create.ts";
import { routes as imagesArchive } from "./images_archive.ts";
import { routes as images } from "./images.ts";
import { routes as archive } from "./archive.ts";
import { routes as volumes } from "./volumes.ts";
import { routes as networks } from "./networks.ts";

/** The whole route table, in match order. */
export const ROUTES: readonly Route[] = [
  ...system,
  ...containers,
  ...exec,
  // The literal /images/… paths before images.ts's /images/{name*}/… patterns.
  ...imagesCreate,
  ...imagesArchive,
  ...images,
  ...archive,
  ...volumes,
  ...networks,
];
