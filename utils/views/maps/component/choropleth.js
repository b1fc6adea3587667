// Choropleth map for the Peta page (Streamlit components v2, no iframe, no build step, no CDN).
// Geometry: fetched once per URL from the app's static folder (gzip + ETag, cached by the browser).
// Each rerun brings only {code: [class, value, extra]} rows; the drawn layer is restyled in place and
// keeps its zoom while data.layer.key stays the same. A click sends the region code back to Python.
const LEAFLET_JS = "/app/static/vendor/leaflet/leaflet.js";
const LEAFLET_CSS = "/app/static/vendor/leaflet/leaflet.css";
const geoCache = new Map();
const instances = new WeakMap();

function loadLeaflet() {
  if (window.L) return Promise.resolve(window.L);
  if (!window.__svLeaflet) {
    window.__svLeaflet = new Promise((resolve, reject) => {
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = LEAFLET_CSS;
      document.head.appendChild(css);
      const script = document.createElement("script");
      script.src = LEAFLET_JS;
      script.onload = () => resolve(window.L);
      script.onerror = () => reject(new Error(LEAFLET_JS));
      document.head.appendChild(script);
    });
  }
  return window.__svLeaflet;
}

function fetchGeo(url) {
  if (!geoCache.has(url)) {
    const p = fetch(url).then((r) => {
      if (!r.ok) throw new Error(url + " (HTTP " + r.status + ")");
      return r.json();
    });
    p.catch(() => geoCache.delete(url));
    geoCache.set(url, p);
  }
  return geoCache.get(url);
}

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}

function rowOf(d, code) {
  // Rows are grouped by parent code: {"18.04.01": {"2001": [class, value, extra]}}.
  const cut = code.lastIndexOf(".");
  const group = d.rows[code.slice(0, cut)];
  return group ? group[code.slice(cut + 1)] : undefined;
}

function classOf(d, code) {
  const row = rowOf(d, code);
  const c = row ? row[0] : -1;
  return c >= 0 ? c : d.colors.length + c;
}

function styleFor(inst, f) {
  const d = inst.data;
  const idx = classOf(d, f.properties.c);
  const selected = d.selected && f.properties.c === d.selected;
  return {
    fillColor: d.colors[idx], fillOpacity: 0.85,
    color: selected ? "#111" : "#555", weight: selected ? 3 : d.layer.weight || 0.8,
    dashArray: idx === d.special.nodata ? "3 3" : null,
  };
}

function tooltipFor(inst, f) {
  const d = inst.data;
  const row = rowOf(d, f.properties.c);
  const s = (i) => (row && i !== undefined ? d.strings[i] : "–");
  let html = "<b>" + esc(f.properties.n) + "</b>";
  if (f.properties.p) html += "<br><span class='sv-parent'>" + esc(f.properties.p) + "</span>";
  html += "<br>" + esc(d.labels.value) + ": <b>" + esc(s(row ? row[1] : undefined)) + "</b>";
  if (row && row.length > 2 && d.strings[row[2]]) html += "<br><span class='sv-extra'>" + esc(d.strings[row[2]]) + "</span>";
  return html;
}

function drawLegend(inst) {
  const d = inst.data;
  if (!inst.legendDiv) return;
  let html = "<div class='sv-legend-title'>" + esc(d.legend.title) + "</div>";
  for (const [color, label] of d.legend.items) {
    const dashed = color === d.colors[d.special.nodata] ? " sv-dashed" : "";
    html += "<div class='sv-legend-row'><span class='sv-swatch" + dashed + "' style='background:" + esc(color) +
      "'></span>" + esc(label) + "</div>";
  }
  inst.legendDiv.innerHTML = html;
}

function setup(L, inst, root) {
  const el = root.querySelector(".sv-map");
  const map = L.map(el, {preferCanvas: true, zoomSnap: 0.25, attributionControl: false, scrollWheelZoom: true});
  L.control.scale({imperial: false}).addTo(map);
  const legend = L.control({position: "bottomright"});
  legend.onAdd = () => {
    inst.legendDiv = L.DomUtil.create("div", "sv-legend");
    L.DomEvent.disableClickPropagation(inst.legendDiv);
    return inst.legendDiv;
  };
  legend.addTo(map);
  inst.map = map;
  window.__svMap = map;  // for the browser tests
}

function setTiles(L, inst, url) {
  // Optional basemap (SV_MAP_TILES, e.g. a tile server on the office network); off by default.
  // Unreachable tiles switch it off again: the choropleth is readable on its own.
  if (!url || inst.tilesUrl === url) return;
  inst.tilesUrl = url;
  let failed = 0;
  const tiles = L.tileLayer(url, {maxZoom: 18}).addTo(inst.map);
  tiles.bringToBack();
  tiles.on("tileerror", () => { if (++failed >= 4) inst.map.removeLayer(tiles); });
}

function stamp(inst, root) {
  // Facts the browser test reads: what is drawn, at which key and zoom.
  const el = root.querySelector(".sv-map");
  el.dataset.drawn = inst.layer ? inst.layer.getLayers().length : 0;
  el.dataset.layerKey = inst.layerKey || "";
  el.dataset.renders = inst.renders;
  el.dataset.mounts = inst.mounts;
}

async function render(L, inst, root, seq) {
  const d = inst.data;
  if (!inst.map) setup(L, inst, root);
  setTiles(L, inst, d.tiles);
  const status = root.querySelector(".sv-map-status");
  if (inst.layerKey !== d.layer.key) {
    let gj;
    try {
      gj = await fetchGeo(d.layer.url);
    } catch (err) {
      status.textContent = (d.texts && d.texts.fetch_error || "") + " " + err.message;
      return;
    }
    if (seq !== inst.seq) return;  // a newer rerun arrived while fetching
    status.textContent = "";
    const prefix = d.layer.filter || "";
    const features = gj.features.filter((f) => f.properties.c.startsWith(prefix));
    if (inst.layer) inst.map.removeLayer(inst.layer);
    inst.layer = L.geoJSON({type: "FeatureCollection", features}, {
      style: (f) => styleFor(inst, f),
      onEachFeature: (f, lyr) => {
        lyr.on("click", () => inst.send("clicked", f.properties.c));
        lyr.bindTooltip(() => tooltipFor(inst, f), {sticky: true});
      },
    }).addTo(inst.map);
    inst.layerKey = d.layer.key;
    if (features.length) {
      drawLegend(inst);  // its height is known before fitting
      // A phone's narrow map: the legend covers the bottom right, so the regions are fitted above it.
      const narrow = inst.legendDiv && inst.map.getContainer().clientWidth < 480;
      inst.map.fitBounds(inst.layer.getBounds(), narrow
        ? {paddingTopLeft: [8, 8], paddingBottomRight: [8, inst.legendDiv.offsetHeight + 12]} : {padding: [8, 8]});
    }
  } else {
    inst.layer.setStyle((f) => styleFor(inst, f));
  }
  const outlineKey = d.outline ? d.outline.key : "";
  if (inst.outlineKey !== outlineKey) {
    if (inst.outline) inst.map.removeLayer(inst.outline);
    inst.outline = null;
    if (d.outline) {
      try {
        const og = await fetchGeo(d.outline.url);
        if (seq !== inst.seq) return;
        const prefix = d.outline.filter || "";
        inst.outline = L.geoJSON({type: "FeatureCollection", features: og.features.filter((f) => f.properties.c.startsWith(prefix))},
          {interactive: false, style: {fill: false, color: "#222", weight: 1.6}}).addTo(inst.map);
      } catch (err) { /* outlines are context only */ }
    }
    inst.outlineKey = outlineKey;
  }
  if (d.selected) inst.layer.eachLayer((lyr) => { if (lyr.feature.properties.c === d.selected) lyr.bringToFront(); });
  drawLegend(inst);
  inst.renders += 1;
  stamp(inst, root);
}

export default function (component) {
  const {parentElement, setTriggerValue} = component;
  // The message arrives as compact JSON text (smaller than Streamlit's own encoding of a dict).
  const data = typeof component.data === "string" ? JSON.parse(component.data) : component.data;
  let inst = instances.get(parentElement);
  if (!inst) {
    inst = {seq: 0, renders: 0, mounts: (window.__svMapMounts = (window.__svMapMounts || 0) + 1)};
    instances.set(parentElement, inst);
  }
  inst.data = data;
  inst.send = setTriggerValue;
  const seq = ++inst.seq;
  loadLeaflet()
    .then((L) => render(L, inst, parentElement, seq))
    .catch((err) => {
      const status = parentElement.querySelector(".sv-map-status");
      if (status) status.textContent = (data.texts && data.texts.leaflet_error || "") + " " + err.message;
    });
  return () => {
    if (inst.map) inst.map.remove();
    instances.delete(parentElement);
  };
}
