// MapLibre map with no external tiles by default: an empty style (background only) with the grids and
// case points drawn from GeoJSON. A deployment with a map service (天地图, a vector style…) sets
// GONGZHI_MAP_STYLE_URL: a style JSON URL, or a raster tile template with {z}/{x}/{y}.
// Loaded lazily (its own chunk) so pages without a map never download MapLibre.
import { useEffect, useRef, useState } from 'react';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { consoleConfig } from '../../lib/config.ts';

maplibregl.setWorkerUrl(workerUrl);

export type FC = GeoJSON.FeatureCollection;
export interface GovMapProps {
  ariaLabel: string;
  className?: string;
  dark?: boolean;
  /** grid polygons; a numeric `value` property (0..1) colours them when colorStops is given */
  grids?: FC | null;
  colorStops?: Array<[number, string]>;
  /** code of a grid to outline */
  highlight?: string | null;
  points?: FC | null;
  cluster?: boolean;
  marker?: [number, number] | null;
  onPick?(lngLat: [number, number]): void;
  onGridClick?(code: string, props: Record<string, any>): void;
  onPointClick?(id: number): void;
  fit?: 'grids' | 'points' | 'marker';
  /** lines drawn over the grids (a patrol's track) */
  lines?: FC | null;
  /** filled squares under the lines (the grid cells a patrol covered) */
  cells?: FC | null;
  /** called once the map has loaded: tests and screenshots wait for data-ready */
  onReady?(): void;
  /**
   * Street and community outlines with names (GET /api/v1/regions/:code/outlines): drawn as boundary lines,
   * their names, the grids' names and the places' names as HTML labels (no glyph server needed).
   */
  outlinesUrl?: string | null;
  /** The address library for the map extent (GET /api/v1/addresses?…): standard addresses and landmarks as labelled points from zoom 13. */
  placesUrl?: string | null;
}

const PLACE_COLOURS: Record<string, string> = { landmark: '#d9480f', compound: '#2b8a3e', building: '#1c7ed6', door: '#495057', road: '#5f3dc4', group: '#862e9c' };
/** Below these zooms a kind of label is not offered (it would only crowd out the larger ones). */
const LABEL_MIN_ZOOM = { street: 0, community: 10.5, grid: 12.5, landmark: 13, place: 15 } as const;
const MAX_LABELS = 220;

interface LabelCandidate { key: string; text: string; at: [number, number]; cls: keyof typeof LABEL_MIN_ZOOM; priority: number }

/** Whether [lng, lat] lies in a Polygon or MultiPolygon (even–odd over all rings). */
function containsPoint(g: GeoJSON.Geometry | null, [x, y]: [number, number]): boolean {
  const polys = g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? g.coordinates : [];
  let inside = false;
  for (const poly of polys) {
    for (const ring of poly) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

/** A point inside a convex-ish ring to hang a grid's name on: the vertex average of its outer ring. */
function ringLabel(g: GeoJSON.Geometry | null): [number, number] | null {
  if (!g) return null;
  const ring = g.type === 'Polygon' ? g.coordinates[0] : g.type === 'MultiPolygon' ? g.coordinates[0]?.[0] : null;
  if (!ring?.length) return null;
  const pts = ring.length > 1 ? ring.slice(0, -1) : ring;
  return [pts.reduce((a, p) => a + p[0], 0) / pts.length, pts.reduce((a, p) => a + p[1], 0) / pts.length];
}

const EMPTY: FC = { type: 'FeatureCollection', features: [] };

function baseStyle(dark: boolean, url: string | null): maplibregl.StyleSpecification | string {
  const background = dark ? '#0a1628' : '#eef2f6';
  if (url && !url.includes('{z}')) return url;
  const style: maplibregl.StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': background } }],
  };
  // one raster template, or several separated by | drawn bottom to top (天地图: 矢量底图 | 矢量注记)
  (url ?? '').split('|').map((u) => u.trim()).filter(Boolean).forEach((tiles, i) => {
    style.sources[`basemap${i || ''}`] = { type: 'raster', tiles: [tiles.replace(/\{s\}/g, String(i % 8))], tileSize: 256 };
    style.layers.push({ id: `basemap${i || ''}`, type: 'raster', source: `basemap${i || ''}`, paint: dark ? { 'raster-brightness-max': 0.5 } : {} });
  });
  return style;
}

function boundsOf(fc: FC): maplibregl.LngLatBounds | null {
  const b = new maplibregl.LngLatBounds();
  let any = false;
  const visit = (c: any) => {
    if (typeof c[0] === 'number') { b.extend(c as [number, number]); any = true; return; }
    for (const x of c) visit(x);
  };
  for (const f of fc.features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return any ? b : null;
}

export default function GovMap(props: GovMapProps) {
  const el = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const markerRef = useRef<maplibregl.Marker | null>(null);
  const clusterMarkers = useRef(new Map<number, maplibregl.Marker>());
  const cb = useRef(props);
  cb.current = props;
  const [loaded, setLoaded] = useState(false);
  const dark = !!props.dark;
  const labelMarkers = useRef(new Map<string, maplibregl.Marker>());
  const outlines = useRef<FC | null>(null);
  const places = useRef<FC | null>(null);
  const syncLabelsRef = useRef<() => void>(() => undefined);
  const fittedRef = useRef<string | null>(null);

  useEffect(() => {
    let map: maplibregl.Map | null = null;
    let cancelled = false;
    consoleConfig().then((cfg) => {
      if (cancelled || !el.current) return;
      map = new maplibregl.Map({
        container: el.current,
        style: baseStyle(dark, cfg.mapStyleUrl),
        center: [106.27, 30.0],
        zoom: 9,
        attributionControl: cfg.mapAttribution ? { customAttribution: cfg.mapAttribution, compact: true } : false,
        dragRotate: false,
        pitchWithRotate: false,
      } as maplibregl.MapOptions);
      mapRef.current = map;
      map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
      map.on('load', () => {
        const m = map!;
        const line = dark ? '#4f8fdc' : '#1f4e8c';
        m.addSource('grids', { type: 'geojson', data: EMPTY, promoteId: 'code' });
        m.addLayer({ id: 'grid-fill', type: 'fill', source: 'grids', paint: { 'fill-color': dark ? '#12325a' : '#dce7f5', 'fill-opacity': 0.55 } });
        m.addLayer({ id: 'grid-line', type: 'line', source: 'grids', paint: { 'line-color': line, 'line-width': 0.6, 'line-opacity': 0.6 } });
        m.addLayer({ id: 'grid-highlight', type: 'line', source: 'grids', filter: ['==', ['get', 'code'], ''], paint: { 'line-color': '#e8590c', 'line-width': 3 } });
        m.addSource('cells', { type: 'geojson', data: EMPTY });
        m.addLayer({ id: 'cells-fill', type: 'fill', source: 'cells', paint: { 'fill-color': '#2ea44f', 'fill-opacity': 0.35 } });
        m.addSource('lines', { type: 'geojson', data: EMPTY });
        m.addLayer({ id: 'lines', type: 'line', source: 'lines', paint: { 'line-color': '#e8590c', 'line-width': 4 }, layout: { 'line-cap': 'round', 'line-join': 'round' } });
        // community and street boundaries above the grids', thicker with rank
        m.addSource('outlines', { type: 'geojson', data: EMPTY });
        m.addLayer({ id: 'outline-community', type: 'line', source: 'outlines', filter: ['==', ['get', 'level'], 'community'],
          paint: { 'line-color': dark ? '#7fb0ea' : '#1f4e8c', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.8, 14, 2], 'line-opacity': 0.85 } });
        m.addLayer({ id: 'outline-street', type: 'line', source: 'outlines', filter: ['==', ['get', 'level'], 'street'],
          paint: { 'line-color': dark ? '#b5d0f5' : '#0b2a55', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.6, 14, 3.5], 'line-dasharray': [3, 1.5] } });
        m.addSource('places', { type: 'geojson', data: EMPTY });
        m.addLayer({ id: 'places', type: 'circle', source: 'places', minzoom: LABEL_MIN_ZOOM.landmark,
          paint: { 'circle-color': ['match', ['get', 'kind'], ...Object.entries(PLACE_COLOURS).flat(), '#495057'] as any, 'circle-radius': 4, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } });
        m.addSource('points', { type: 'geojson', data: EMPTY, cluster: !!cb.current.cluster, clusterRadius: 44, clusterMaxZoom: 15 });
        m.addLayer({
          id: 'clusters', type: 'circle', source: 'points', filter: ['has', 'point_count'],
          paint: {
            'circle-color': ['step', ['get', 'point_count'], '#3b82f6', 20, '#f59e0b', 100, '#ef4444'],
            'circle-radius': ['step', ['get', 'point_count'], 14, 20, 18, 100, 24], 'circle-opacity': 0.85,
            'circle-stroke-color': '#fff', 'circle-stroke-width': 2,
          },
        });
        m.addLayer({
          id: 'point', type: 'circle', source: 'points', filter: ['!', ['has', 'point_count']],
          paint: {
            // a point's own colour (a hazard's level), else its SLA light
            'circle-color': ['coalesce', ['get', 'color'], ['match', ['get', 'light'], 'red', '#d93025', 'yellow', '#e3a008', 'green', '#2ea44f', '#64748b']],
            'circle-radius': 6, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5,
          },
        });
        m.on('click', (e) => {
          const hitPoint = m.queryRenderedFeatures(e.point, { layers: ['point', 'clusters'] })[0];
          if (hitPoint) {
            const p = hitPoint.properties as any;
            if (p.cluster_id != null) {
              (m.getSource('points') as maplibregl.GeoJSONSource).getClusterExpansionZoom(p.cluster_id)
                .then((z) => m.easeTo({ center: (hitPoint.geometry as GeoJSON.Point).coordinates as [number, number], zoom: z }));
              return;
            }
            if (p.id != null && cb.current.onPointClick) { cb.current.onPointClick(Number(p.id)); return; }
          }
          if (cb.current.onPick) { cb.current.onPick([e.lngLat.lng, e.lngLat.lat]); return; }
          const grid = m.queryRenderedFeatures(e.point, { layers: ['grid-fill'] })[0];
          if (grid && cb.current.onGridClick) cb.current.onGridClick(String(grid.properties.code), grid.properties as any);
        });
        for (const layer of ['grid-fill', 'point', 'clusters']) {
          m.on('mouseenter', layer, () => { if (cb.current.onGridClick || layer !== 'grid-fill') m.getCanvas().style.cursor = 'pointer'; });
          m.on('mouseleave', layer, () => { m.getCanvas().style.cursor = cb.current.onPick ? 'crosshair' : ''; });
        }
        if (cb.current.onPick) m.getCanvas().style.cursor = 'crosshair';
        // Cluster counts as HTML markers: no glyph server is needed for text.
        const syncCounts = () => {
          const seen = new Set<number>();
          if (!m.getLayer('clusters')) return;
          for (const f of m.queryRenderedFeatures({ layers: ['clusters'] } as any)) {
            const p = f.properties as any;
            const id = Number(p.cluster_id);
            if (seen.has(id)) continue;
            seen.add(id);
            if (!clusterMarkers.current.has(id)) {
              const div = document.createElement('div');
              div.className = 'gz-cluster-count';
              div.textContent = String(p.point_count_abbreviated ?? p.point_count);
              clusterMarkers.current.set(id, new maplibregl.Marker({ element: div }).setLngLat((f.geometry as GeoJSON.Point).coordinates as [number, number]).addTo(m));
            }
          }
          for (const [id, mk] of clusterMarkers.current) if (!seen.has(id)) { mk.remove(); clusterMarkers.current.delete(id); }
        };
        // names as HTML labels, placed greedily by rank so that none overlaps another
        let labelFrame = 0;
        const syncLabels = () => {
          cancelAnimationFrame(labelFrame);
          labelFrame = requestAnimationFrame(() => {
            if (!mapRef.current) return;
            const zoom = m.getZoom();
            const candidates: LabelCandidate[] = [];
            const { width: vw, height: vh } = m.getContainer().getBoundingClientRect();
            const centre = m.getCenter();
            for (const f of outlines.current?.features ?? []) {
              const p = f.properties as any;
              const cls = p.level === 'street' ? 'street' : 'community';
              if (!p.label) continue;
              let at = p.label as [number, number];
              const q = m.project(at);
              if (q.x < 0 || q.y < 0 || q.x > vw || q.y > vh) {
                // zoomed in past its label point: the street and community the view is in keep their names, at the top
                if (!containsPoint(f.geometry, [centre.lng, centre.lat])) continue;
                const top = m.unproject([vw / 2, cls === 'street' ? 18 : 40]);
                at = [top.lng, top.lat];
              }
              candidates.push({ key: `o:${p.code}`, text: p.name, at, cls, priority: cls === 'street' ? 0 : 1 });
            }
            if (zoom >= LABEL_MIN_ZOOM.grid) {
              for (const f of cb.current.grids?.features ?? []) {
                const p = f.properties as any;
                const at = ringLabel(f.geometry);
                if (at && p?.code && !p.unlabelled) candidates.push({ key: `g:${p.code}`, text: p.shortName ?? p.name ?? p.code, at, cls: 'grid', priority: 2 });
              }
            }
            for (const f of places.current?.features ?? []) {
              const p = f.properties as any;
              const big = p.kind === 'landmark' || p.kind === 'compound' || p.kind === 'road';
              const cls = big ? 'landmark' : 'place';
              candidates.push({ key: `p:${p.id}`, text: p.label, at: (f.geometry as GeoJSON.Point).coordinates as [number, number], cls, priority: big ? 3 : 4 });
            }
            const [width, height] = [vw, vh];
            const placed: Array<[number, number, number, number]> = [];
            const keep = new Map<string, LabelCandidate & { x: number; y: number }>();
            candidates.sort((a, b) => a.priority - b.priority);
            for (const c of candidates) {
              if (zoom < LABEL_MIN_ZOOM[c.cls] || keep.size >= MAX_LABELS) continue;
              const pt = m.project(c.at);
              if (pt.x < 0 || pt.y < 0 || pt.x > width || pt.y > height) continue;
              const size = c.cls === 'street' ? 14 : c.cls === 'community' ? 13 : 12;
              const w = c.text.length * size + 8;
              const h = size + 6;
              const box: [number, number, number, number] = [pt.x - w / 2, pt.y - h / 2, pt.x + w / 2, pt.y + h / 2];
              if (placed.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) continue;
              placed.push(box);
              keep.set(c.key, { ...c, x: pt.x, y: pt.y });
            }
            for (const [key, mk] of labelMarkers.current) if (!keep.has(key)) { mk.remove(); labelMarkers.current.delete(key); }
            for (const [key, c] of keep) {
              const existing = labelMarkers.current.get(key);
              if (existing) {
                existing.setLngLat(c.at); // a name held at the top of the view moves with it
                // and a renamed feature (a split's part named as it is typed) shows its new name under the same key
                if (existing.getElement().textContent !== c.text) existing.getElement().textContent = c.text;
                continue;
              }
              const div = document.createElement('div');
              div.className = `gz-map-label gz-map-label-${c.cls}${dark ? ' gz-map-label-dark' : ''}`;
              div.textContent = c.text;
              div.setAttribute('data-testid', `map-label-${c.cls}`);
              labelMarkers.current.set(key, new maplibregl.Marker({ element: div, anchor: c.cls === 'place' || c.cls === 'landmark' ? 'left' : 'center', offset: c.cls === 'place' || c.cls === 'landmark' ? [6, 0] : [0, 0] })
                .setLngLat(c.at).addTo(m));
            }
          });
        };
        syncLabelsRef.current = syncLabels;
        m.on('moveend', syncLabels);
        // the address library of the extent, from zoom 13
        let placesTimer = 0;
        const loadPlaces = () => {
          window.clearTimeout(placesTimer);
          const url = cb.current.placesUrl;
          if (!url || m.getZoom() < LABEL_MIN_ZOOM.landmark) {
            if (places.current) { places.current = null; (m.getSource('places') as maplibregl.GeoJSONSource).setData(EMPTY); syncLabels(); }
            return;
          }
          placesTimer = window.setTimeout(() => {
            const b = m.getBounds();
            const kinds = m.getZoom() >= LABEL_MIN_ZOOM.place ? '' : '&kind=landmark';
            fetch(`${url}${url.includes('?') ? '&' : '?'}bbox=${b.getWest().toFixed(5)},${b.getSouth().toFixed(5)},${b.getEast().toFixed(5)},${b.getNorth().toFixed(5)}&pageSize=600${kinds}`, { credentials: 'same-origin' })
              .then((r) => (r.ok ? r.json() : { items: [] }))
              .then((r: { items: Array<{ id: number; kind: string; label: string; lat: number | null; lng: number | null }> }) => {
                if (!mapRef.current) return;
                places.current = {
                  type: 'FeatureCollection',
                  features: r.items.filter((a) => a.lat != null && a.lng != null).map((a) => ({
                    type: 'Feature', geometry: { type: 'Point', coordinates: [a.lng!, a.lat!] }, properties: { id: a.id, kind: a.kind, label: a.label },
                  })),
                };
                (m.getSource('places') as maplibregl.GeoJSONSource).setData(places.current);
                syncLabels();
              }, () => undefined);
          }, 250);
        };
        m.on('moveend', loadPlaces);
        m.on('render', () => { if (m.isSourceLoaded('points')) syncCounts(); });
        m.on('idle', syncCounts);
        m.on('sourcedata', (e) => { if (e.sourceId === 'points' && e.isSourceLoaded) syncCounts(); });
        setLoaded(true);
      });
    });
    return () => {
      cancelled = true;
      for (const mk of labelMarkers.current.values()) mk.remove();
      labelMarkers.current.clear();
      for (const mk of clusterMarkers.current.values()) mk.remove();
      clusterMarkers.current.clear();
      map?.remove();
      mapRef.current = null;
    };
  }, [dark]);

  // data → sources
  useEffect(() => {
    const m = mapRef.current;
    if (!m || !loaded) return;
    (m.getSource('grids') as maplibregl.GeoJSONSource).setData(props.grids ?? EMPTY);
    if (props.colorStops?.length) {
      const expr: any[] = ['interpolate', ['linear'], ['coalesce', ['get', 'value'], 0]];
      for (const [v, c] of props.colorStops) expr.push(v, c);
      m.setPaintProperty('grid-fill', 'fill-color', expr as any);
      m.setPaintProperty('grid-fill', 'fill-opacity', 0.75);
    }
    // fit once per set of grids: a refresh of the same grids (live counts) keeps the user's zoom
    const fitKey = `${props.grids?.features.length ?? 0}:${(props.grids?.features[0]?.properties as any)?.code ?? ''}:${props.marker?.join(',') ?? ''}`;
    if (props.fit === 'grids' && props.grids?.features.length && fittedRef.current !== fitKey) {
      fittedRef.current = fitKey;
      const b = boundsOf(props.grids);
      if (b && props.marker) b.extend(props.marker);
      if (b) m.fitBounds(b, { padding: 24, duration: 0, maxZoom: 16 });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded, props.grids, props.colorStops, props.fit]);

  // outlines → their source and the labels
  useEffect(() => {
    const m = mapRef.current;
    if (!m || !loaded) return;
    if (!props.outlinesUrl) { outlines.current = null; (m.getSource('outlines') as maplibregl.GeoJSONSource).setData(EMPTY); syncLabelsRef.current(); return; }
    let live = true;
    fetch(props.outlinesUrl, { credentials: 'same-origin' }).then((r) => (r.ok ? r.json() : null)).then((fc: FC | null) => {
      if (!live || !fc || !mapRef.current) return;
      outlines.current = fc;
      (m.getSource('outlines') as maplibregl.GeoJSONSource).setData(fc);
      syncLabelsRef.current();
    }, () => undefined);
    return () => { live = false; };
  }, [loaded, props.outlinesUrl]);

  useEffect(() => { if (loaded) syncLabelsRef.current(); }, [loaded, props.grids]);

  useEffect(() => {
    const m = mapRef.current;
    if (!m || !loaded) return;
    (m.getSource('lines') as maplibregl.GeoJSONSource).setData(props.lines ?? EMPTY);
    (m.getSource('cells') as maplibregl.GeoJSONSource).setData(props.cells ?? EMPTY);
  }, [loaded, props.lines, props.cells]);

  useEffect(() => {
    const m = mapRef.current;
    if (!m || !loaded) return;
    m.setFilter('grid-highlight', ['==', ['get', 'code'], props.highlight ?? '']);
  }, [loaded, props.highlight]);

  useEffect(() => {
    const m = mapRef.current;
    if (!m || !loaded) return;
    for (const mk of clusterMarkers.current.values()) mk.remove();
    clusterMarkers.current.clear();
    (m.getSource('points') as maplibregl.GeoJSONSource).setData(props.points ?? EMPTY);
    if (props.fit === 'points' && props.points?.features.length) {
      const b = boundsOf(props.points);
      if (b) m.fitBounds(b, { padding: 40, duration: 0, maxZoom: 15 });
    }
  }, [loaded, props.points, props.fit]);

  useEffect(() => {
    const m = mapRef.current;
    if (!m || !loaded) return;
    markerRef.current?.remove();
    markerRef.current = null;
    if (props.marker) {
      markerRef.current = new maplibregl.Marker({ color: '#e8590c' }).setLngLat(props.marker).addTo(m);
      if (props.fit === 'marker') m.jumpTo({ center: props.marker, zoom: Math.max(m.getZoom(), 15) });
    }
  }, [loaded, props.marker, props.fit]);

  useEffect(() => {
    if (!loaded) return;
    const m = mapRef.current!;
    const done = () => { el.current?.setAttribute('data-ready', 'true'); cb.current.onReady?.(); };
    if (m.loaded()) done(); else m.once('idle', done);
  }, [loaded, props.grids, props.points]);

  return <div ref={el} className={`gz-map ${props.className ?? ''}`} role="region" aria-label={props.ariaLabel} data-testid="map" />;
}
