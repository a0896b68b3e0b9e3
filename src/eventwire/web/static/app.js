// The analyst's page: map, timeline, filters, event list and the article view with evidence.
// Plain JS over the REST API of the same server; nothing is fetched from anywhere else.
"use strict";

const COLORS = {
  ASSAULT: "#c62828", COERCE: "#ad1457", THREATEN: "#6a1b9a", MOBILIZE: "#4527a0",
  PROTEST: "#283593", SANCTION: "#1565c0", ACCUSE: "#00838f", REJECT: "#00695c",
  REQUEST: "#2e7d32", RETREAT: "#558b2f", AID: "#9e9d24", COOPERATE: "#f9a825",
  CONCEDE: "#ff8f00", SUPPORT: "#ef6c00", CONSULT: "#6d4c41", AGREE: "#37474f",
};
const LIST_MAX = 500;

const state = {
  events: [],        // every stored event (flat rows from /events)
  incidents: {},     // incident id -> incident
  articles: {},      // article id -> article view (cache)
  range: null,       // {from, to} chosen on the timeline or in the date fields
  selected: null,    // selected event id
  markers: {},       // "lat,lon" -> Leaflet layer (one marker per place)
  spot: null,        // "lat,lon" the list is narrowed to, after clicking a marker with several events
  shown: [],         // events passing the filters and the time range
  view: "events",    // which list is shown: "events" or "incidents"
};

const $ = (id) => document.getElementById(id);

async function getJSON(url) {
  const res = await fetch(url);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || `${url}: HTTP ${res.status}`);
  return body;
}

async function fetchAll(path, pageSize = 5000, cap = 100000) {
  const rows = [];
  for (let offset = 0; offset < cap; offset += pageSize) {
    const page = await getJSON(`${path}?limit=${pageSize}&offset=${offset}`);
    rows.push(...page.items);
    if (rows.length >= page.total || page.items.length === 0) break;
  }
  return rows;
}

// -- map -----------------------------------------------------------------------------------------

const map = L.map("map", { worldCopyJump: true, preferCanvas: false }).setView([30, 20], 2);
window.ewMap = map;   // for scripted checks (the browser tests zoom with it)
const markerLayer = L.layerGroup().addTo(map);
map.createPane("basemap").style.zIndex = 250;   // above tiles, below the event markers

async function loadBasemap(config) {
  if (config.tiles) {
    L.tileLayer(config.tiles, { maxZoom: 18, attribution: "tiles: " + new URL(config.tiles.split("{")[0], location.href).host }).addTo(map);
    return;
  }
  const world = await getJSON("/static/vendor/world-atlas/countries-50m.json");
  const countries = topojson.feature(world, world.objects.countries);
  for (const f of countries.features) unwrapAntimeridian(f.geometry);
  L.geoJSON(countries, {
    style: { color: "#90a4ae", weight: 0.7, fillColor: "#f5f5f0", fillOpacity: 1 },
    interactive: false,
    pane: "basemap",
  }).addTo(map);
  map.attributionControl.addAttribution("outlines: Natural Earth via world-atlas");
  map.on("zoomend", showRegions);
  showRegions();
}

// First-level regions (states, provinces, oblasts): thin lines over the countries from REGION_ZOOM on,
// with the region's name on hover. The 1.6 MB outline file is fetched the first time they are needed,
// so a page that stays zoomed out never pays for it. `body[data-regions]` tells which state they are in.
const REGION_ZOOM = 4;
const regions = { layer: null, loading: null };
map.createPane("regions").style.zIndex = 260;   // above the countries, below the event markers

async function loadRegions() {
  const topo = await getJSON("/static/vendor/admin1/admin1-10m.json");
  const features = topojson.feature(topo, topo.objects.regions);
  for (const f of features.features) unwrapAntimeridian(f.geometry);
  regions.layer = L.geoJSON(features, {
    pane: "regions",
    style: { color: "#78909c", weight: 0.6, opacity: 0.9, dashArray: "2 2", fill: true, fillOpacity: 0 },
    onEachFeature: (feature, layer) => {
      const p = feature.properties;
      if (!p.name) return;   // a few islets and disputed slivers have none
      // Natural Earth marks regions without an ISO 3166-2 code with codes like "-99-X11~": not shown
      const code = /^[A-Z]{2}-[A-Z0-9]+$/.test(p.iso_3166_2 || "") ? ` (${p.iso_3166_2})` : "";
      layer.bindTooltip(`${p.name}${code}`, { sticky: true, className: "ew-region-tip" });
      layer.on("mouseover", () => layer.setStyle({ weight: 1.4, dashArray: null }));
      layer.on("mouseout", () => regions.layer.resetStyle(layer));
    },
  });
  map.attributionControl.addAttribution("regions: Natural Earth admin-1");
}

async function showRegions() {
  const wanted = map.getZoom() >= REGION_ZOOM;
  if (wanted && !regions.layer) {
    document.body.dataset.regions = "loading";
    regions.loading = regions.loading || loadRegions();
    try {
      await regions.loading;
    } catch (err) {
      document.body.dataset.regions = "error";
      $("status").textContent = "region outlines: " + (err.message || err);
      return;
    }
  }
  if (!regions.layer) { document.body.dataset.regions = "hidden"; return; }
  const show = map.getZoom() >= REGION_ZOOM;   // the zoom may have changed while the file was loading
  if (show && !map.hasLayer(regions.layer)) regions.layer.addTo(map);
  if (!show && map.hasLayer(regions.layer)) map.removeLayer(regions.layer);
  document.body.dataset.regions = show ? "shown" : "hidden";
}

// Rings that cross the antimeridian (Russia's Chukotka, Fiji) jump from +180 to -180 and Leaflet
// would draw a line across the world: move their western part east of 180 instead. A ring that runs
// all around the globe (Antarctica) is left alone.
function unwrapAntimeridian(geometry) {
  if (!geometry) return;
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates]
    : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      let jumps = false;
      for (let i = 1; i < ring.length && !jumps; i++) jumps = Math.abs(ring[i][0] - ring[i - 1][0]) > 180;
      if (!jumps) continue;
      const moved = ring.map(([lon, lat]) => [lon < 0 ? lon + 360 : lon, lat]);
      const lons = moved.map((p) => p[0]);
      if (Math.max(...lons) - Math.min(...lons) < 300) ring.splice(0, ring.length, ...moved);
    }
  }
}

function splitList(value) {
  return (value || "").split(";").map((s) => s.trim()).filter(Boolean);
}

// -- filters -------------------------------------------------------------------------------------

// A side is a country taking part, as actor or recipient (the API's `side` filter means the same).
function sides(row) {
  return [...splitList(row.actor_country), ...splitList(row.recipient_country)];
}

function fillSelect(select, groups) {
  for (const [label, values] of groups) {
    const parent = label ? document.createElement("optgroup") : select;
    if (label) { parent.label = label; select.appendChild(parent); }
    for (const [value, text] of values) {
      const opt = document.createElement("option");
      opt.value = value;
      opt.textContent = text;
      parent.appendChild(opt);
    }
  }
}

function distinct(rows, pick) {
  const seen = new Map();
  for (const row of rows) for (const v of new Set(pick(row))) if (v) seen.set(v, (seen.get(v) || 0) + 1);
  return [...seen.entries()].sort((a, b) => b[1] - a[1]).map(([v, n]) => [v, `${v} (${n})`]);
}

function buildFilters() {
  fillSelect($("f-type"), [[null, distinct(state.events, (r) => [r.type])]]);
  fillSelect($("f-side"), [[null, distinct(state.events, sides)]]);
  const outlets = distinct(state.events, (r) => [r.outlet]).map(([v, t]) => ["o:" + v, t]);
  const speakers = distinct(state.events, (r) => [r.source]).map(([v, t]) => ["s:" + v, t]);
  fillSelect($("f-source"), [["Outlet", outlets], ["Speaker", speakers]]);
  for (const id of ["f-type", "f-side", "f-source"]) $(id).addEventListener("change", render);
  for (const id of ["f-from", "f-to"]) $(id).addEventListener("change", () => {
    const from = $("f-from").value, to = $("f-to").value;
    state.range = from || to ? { from: from || "0000-01-01", to: to || "9999-12-31" } : null;
    timeline.setRange(from && to ? state.range : null);
    render();
  });
  $("f-reset").addEventListener("click", () => {
    for (const id of ["f-type", "f-side", "f-source", "f-from", "f-to"]) $(id).value = "";
    state.range = null;
    state.spot = null;
    timeline.setRange(null);
    render();
  });
  $("spot-clear").addEventListener("click", () => { state.spot = null; renderList(state.shown); });
  $("tab-events").addEventListener("click", () => showView("events"));
  $("tab-incidents").addEventListener("click", () => showView("incidents"));
}

function passesChoices(row) {
  const type = $("f-type").value, side = $("f-side").value, source = $("f-source").value;
  if (type && row.type !== type) return false;
  if (side && !sides(row).includes(side)) return false;
  if (source) {
    const value = source.slice(2);
    if (source.startsWith("o:") ? row.outlet !== value : row.source !== value) return false;
  }
  return true;
}

function inRange(row) {
  if (!state.range) return true;
  return !!row.date && row.date >= state.range.from && row.date <= state.range.to;
}

// -- rendering -----------------------------------------------------------------------------------

const timeline = new Timeline($("timeline"), (range) => {
  state.range = range;
  $("f-from").value = range ? range.from : "";
  $("f-to").value = range ? range.to : "";
  render();
});

function render() {
  const chosen = state.events.filter(passesChoices);
  const shown = chosen.filter(inRange);

  const counts = {};
  for (const row of chosen) {
    if (!row.date) continue;
    const c = counts[row.date] || (counts[row.date] = { all: 0, shown: 0 });
    c.all += 1;
    if (inRange(row)) c.shown += 1;
  }
  timeline.draw(counts);
  $("timeline-unit").textContent = timeline.unit;
  state.shown = shown;
  renderMarkers(shown);
  renderList(shown);
  $("status").textContent = `${shown.length} of ${state.events.length} events shown`;
}

const MANY = 3000;   // above this many markers, draw them on one canvas instead of SVG
let canvas = null;

function spotKey(row) {
  return row.lat == null || row.lon == null ? null : `${row.lat},${row.lon}`;
}

function newestFirst(a, b) {
  return (b.date || "").localeCompare(a.date || "") || a.id.localeCompare(b.id);
}

// One marker per place: its size grows with the number of events there, its colour is the most
// frequent type. Clicking it selects the newest event there and, when there are several, narrows the
// list to that place.
function renderMarkers(rows) {
  markerLayer.clearLayers();
  state.markers = {};
  const spots = new Map();
  for (const row of rows) {
    const key = spotKey(row);
    if (key === null) continue;
    if (!spots.has(key)) spots.set(key, []);
    spots.get(key).push(row);
  }
  if (!canvas && spots.size > MANY) canvas = L.canvas({ padding: 0.2 });
  for (const [key, group] of spots) {
    group.sort(newestFirst);
    const types = distinct(group, (r) => [r.type]);
    const top = types[0][0];
    const marker = L.circleMarker([group[0].lat, group[0].lon], {
      radius: 6 + 2.5 * Math.log2(group.length), color: "#fff", weight: 1.5, fillColor: COLORS[top] || "#455a64",
      fillOpacity: 0.85, className: "ew-marker", renderer: spots.size > MANY ? canvas : undefined,
    });
    const place = group[0].place || key;
    marker.bindTooltip(group.length === 1
      ? `${group[0].type}${group[0].date ? " · " + group[0].date : ""} · ${place}`
      : `${place}: ${group.length} events (${types.slice(0, 3).map((t) => t[1]).join(", ")})`);
    marker.on("click", () => {
      state.spot = group.length > 1 ? key : null;
      renderList(state.shown);
      select(group[0].id);
    });
    marker.addTo(markerLayer);
    const el = marker.getElement && marker.getElement();
    if (el) {
      el.setAttribute("data-event", group[0].id);
      el.setAttribute("data-count", String(group.length));
    }
    marker.eventIds = new Set(group.map((r) => r.id));
    state.markers[key] = marker;
  }
  if (spots.size && !state.fitted) {
    map.fitBounds(L.latLngBounds([...spots.values()].map((g) => [g[0].lat, g[0].lon])).pad(0.3), { maxZoom: 8 });
    state.fitted = true;
  }
  markSelected();
}

function incidentBadges(row) {
  const inc = row.incident_id && state.incidents[row.incident_id];
  if (!inc) return [];
  const badges = [[`${inc.corroboration} outlet${inc.corroboration === 1 ? "" : "s"}`, "badge"]];
  if ((inc.disagreements || []).length) badges.push(["figures differ", "badge warn"]);
  return badges;
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

function typeLabel(item) {
  const span = el("span", "type", item.type + (item.mode ? `/${item.mode}` : ""));
  span.style.color = COLORS[item.type] || "#455a64";
  return span;
}

function appendBadges(li, row) {
  for (const [text, cls] of incidentBadges(row)) li.appendChild(el("span", cls, text));
}

// A list item that acts on a click, or on Enter or Space when focused.
function activate(li, action) {
  li.tabIndex = 0;
  li.addEventListener("click", action);
  li.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); action(); }
  });
}

function renderList(rows) {
  const list = $("events");
  list.textContent = "";
  if (state.spot) rows = rows.filter((r) => spotKey(r) === state.spot);
  const incidents = renderIncidentList(rows);
  $("spot").hidden = !state.spot;
  if (state.spot && rows.length) $("spot-name").textContent = rows[0].place || state.spot;
  const sorted = [...rows].sort(newestFirst);
  for (const row of sorted.slice(0, LIST_MAX)) {
    const li = document.createElement("li");
    li.dataset.event = row.id;
    li.append(typeLabel(row), [row.actor, row.recipient].filter(Boolean).join(" → ") || "(no named actor)");
    appendBadges(li, row);
    li.appendChild(el("div", "meta", [row.date || "undated", row.place, row.outlet, row.status].filter(Boolean).join(" · ")));
    activate(li, () => select(row.id));
    list.appendChild(li);
  }
  const n = state.view === "events" ? rows.length : incidents;
  $("count").textContent = n > LIST_MAX ? `(${n}, first ${LIST_MAX})` : `(${n})`;
  markSelected();
}

function disagreementText(d) {
  return `${d.kind}: ` + d.values.map((v) =>
    `${v.value} (${[v.outlet, v.source].filter(Boolean).join(", ") || "unattributed"})`).join(" vs ");
}

// The incidents holding at least one of `rows`, most corroborated first; returns how many.
function renderIncidentList(rows) {
  const list = $("incidents");
  list.textContent = "";
  const members = new Map();
  for (const row of rows) {
    const inc = row.incident_id && state.incidents[row.incident_id];
    if (!inc) continue;
    if (!members.has(inc.id)) members.set(inc.id, []);
    members.get(inc.id).push(row);
  }
  const order = [...members.keys()].map((id) => state.incidents[id]).sort((a, b) =>
    b.corroboration - a.corroboration || (b.date_last || "").localeCompare(a.date_last || "") || a.id.localeCompare(b.id));
  for (const inc of order.slice(0, LIST_MAX)) {
    const first = members.get(inc.id).sort(newestFirst)[0];
    const li = document.createElement("li");
    li.dataset.incident = inc.id;
    li.append(typeLabel(inc), inc.place || "(no place)");
    appendBadges(li, first);
    const dates = inc.date_first && inc.date_last && inc.date_first !== inc.date_last
      ? `${inc.date_first} to ${inc.date_last}` : (inc.date_first || "undated");
    li.appendChild(el("div", "meta",
      `${dates} · ${inc.articles} article${inc.articles === 1 ? "" : "s"} · ${(inc.outlets || []).join(", ")}`));
    for (const d of inc.disagreements || []) li.appendChild(el("div", "disagree", disagreementText(d)));
    activate(li, () => select(first.id));
    list.appendChild(li);
  }
  return order.length;
}

function showView(view) {
  state.view = view;
  $("events").hidden = view !== "events";
  $("incidents").hidden = view !== "incidents";
  $("tab-events").setAttribute("aria-selected", String(view === "events"));
  $("tab-incidents").setAttribute("aria-selected", String(view === "incidents"));
  renderList(state.shown);
}

function markSelected() {
  for (const li of $("events").children) li.classList.toggle("selected", li.dataset.event === state.selected);
  const row = state.selected && state.events.find((r) => r.id === state.selected);
  for (const li of $("incidents").children) li.classList.toggle("selected", !!row && li.dataset.incident === row.incident_id);
  for (const marker of Object.values(state.markers)) {
    const on = marker.eventIds.has(state.selected);
    const el = marker.getElement && marker.getElement();
    if (el) el.classList.toggle("selected", on);
    if (on || marker.options.weight !== 1.5) marker.setStyle(on ? { color: "#ff6f00", weight: 3 } : { color: "#fff", weight: 1.5 });
    if (on) marker.bringToFront();
  }
}

// Scroll a panel (not the page) so that `el` is in view.
function scrollWithin(panel, el) {
  const top = el.getBoundingClientRect().top - panel.getBoundingClientRect().top + panel.scrollTop;
  if (top < panel.scrollTop || top > panel.scrollTop + panel.clientHeight - 30) {
    panel.scrollTop = Math.max(0, top - panel.clientHeight / 3);
  }
}

function side(name, country, sector) {
  const tags = [country, sector].filter(Boolean).join(" ");
  return name && (tags ? `${name} [${tags}]` : name);
}

// -- the selected event --------------------------------------------------------------------------

async function select(id) {
  state.selected = id;
  markSelected();
  const row = state.events.find((r) => r.id === id);
  if (!row) return;
  if (row.lat != null && !map.getBounds().contains([row.lat, row.lon])) map.panTo([row.lat, row.lon]);
  const li = $("events").querySelector(`li[data-event="${CSS.escape(id)}"]`);
  if (li) scrollWithin($("list-box"), li);
  $("detail").hidden = false;
  $("detail-title").textContent = `${row.type}${row.mode ? "/" + row.mode : ""} · ${row.status || ""}`;
  const fields = [
    ["Date", row.date ? `${row.date} (${row.date_precision || "day"})` : null],
    ["Actor", side(row.actor, row.actor_country, row.actor_sector)],
    ["Recipient", side(row.recipient, row.recipient_country, row.recipient_sector)],
    ["Place", row.place && `${row.place}${row.admin1 ? ", " + row.admin1 : ""}${row.country ? " (" + row.country + ")" : ""}` +
      (row.geonameid ? ` · GeoNames ${row.geonameid}` : "")],
    ["Says who", row.source || "the article itself"],
    ["Figures", (row.quantities || []).map((q) => `${q.kind} ${q.approximate ? "~" : ""}${q.value}`).join(", ") || null],
    ["Outlet", row.outlet],
  ];
  const dl = $("detail-fields");
  dl.textContent = "";
  for (const [k, v] of fields) {
    if (!v) continue;
    const dt = document.createElement("dt"); dt.textContent = k;
    const dd = document.createElement("dd"); dd.textContent = v;
    dl.append(dt, dd);
  }
  renderIncident(row);
  try {
    const article = state.articles[row.article_id] ||
      (state.articles[row.article_id] = await getJSON(`/articles/${row.article_id}`));
    if (state.selected === id) renderArticle(article, row);
  } catch (err) {
    $("article").textContent = String(err.message || err);
  }
}

function renderIncident(row) {
  const box = $("incident");
  const inc = row.incident_id && state.incidents[row.incident_id];
  box.hidden = !inc;
  box.textContent = "";
  if (!inc) return;
  const head = document.createElement("div");
  head.className = "corroboration";
  head.textContent = `Incident reported by ${inc.corroboration} outlet${inc.corroboration === 1 ? "" : "s"}` +
    ` (${inc.articles} article${inc.articles === 1 ? "" : "s"}): ${(inc.outlets || []).join(", ") || "unnamed outlets"}`;
  box.appendChild(head);
  for (const d of inc.disagreements || []) {
    const p = document.createElement("div");
    p.className = "disagree";
    p.textContent = "Figures differ on " + disagreementText(d);
    box.appendChild(p);
  }
  // Every report of the incident; clicking one opens that article at its evidence.
  const list = document.createElement("ul");
  list.className = "reports";
  for (const r of inc.reports || []) {
    const li = document.createElement("li");
    li.dataset.event = r.event_id;
    li.classList.toggle("current", r.event_id === row.id);
    const figures = (r.quantities || []).map((q) => `${q.kind} ${q.approximate ? "~" : ""}${q.value}`).join(", ");
    li.textContent = [r.outlet || "unnamed outlet", r.source || "own voice", r.date, figures].filter(Boolean).join(" · ") +
      (r.evidence ? `: “${r.evidence}”` : "");
    if (r.event_id !== row.id) li.addEventListener("click", () => select(r.event_id));
    list.appendChild(li);
  }
  box.appendChild(list);
}

function renderArticle(article, row) {
  $("article-meta").textContent = [article.title, article.source, article.published].filter(Boolean).join(" · ");
  const own = article.events.find((e) => e.id === row.id || e.event_id === row.event_id) ||
    { evidence: [], speakers: [], places: [] };
  const marks = [
    ...article.entities.map((m) => ({ ...m, cls: "m-entity" })),
    ...own.places.map((m) => ({ ...m, cls: "m-place" })),
    ...own.speakers.map((m) => ({ ...m, cls: "m-speaker" })),
    ...own.evidence.map((m) => ({ ...m, cls: "m-evidence" })),
  ];
  if (!own.evidence.length && row.evidence_start != null) {
    marks.push({ start: row.evidence_start, end: row.evidence_end, cls: "m-evidence" });
  }
  const text = article.text;
  const cuts = new Set([0, text.length]);
  for (const m of marks) { cuts.add(Math.max(0, m.start)); cuts.add(Math.min(text.length, m.end)); }
  const points = [...cuts].sort((a, b) => a - b);
  const box = $("article");
  box.textContent = "";
  let firstEvidence = null;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    const classes = new Set(marks.filter((m) => m.start <= a && m.end >= b).map((m) => m.cls));
    if (classes.size === 0) { box.appendChild(document.createTextNode(text.slice(a, b))); continue; }
    const span = document.createElement("span");
    span.className = [...classes].join(" ");
    span.textContent = text.slice(a, b);
    if (classes.has("m-evidence") && !firstEvidence) firstEvidence = span;
    box.appendChild(span);
  }
  if (firstEvidence) scrollWithin($("detail"), firstEvidence);
}

// -- start ---------------------------------------------------------------------------------------

async function start() {
  $("status").textContent = "loading…";
  try {
    const config = await getJSON("/config");
    const [events, incidents] = await Promise.all([fetchAll("/events"), fetchAll("/incidents")]);
    state.events = events;
    for (const inc of incidents) state.incidents[inc.id] = inc;
    buildFilters();
    render();
    await loadBasemap(config);
    document.body.dataset.ready = "1";
  } catch (err) {
    $("status").textContent = "error: " + (err.message || err);
    document.body.dataset.ready = "error";
  }
}

start();
