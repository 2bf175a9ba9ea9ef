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
  if (url) {
    style.sources.basemap = { type: 'raster', tiles: [url], tileSize: 256 };
    style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap', paint: dark ? { 'raster-brightness-max': 0.5 } : {} });
  }
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
        m.on('render', () => { if (m.isSourceLoaded('points')) syncCounts(); });
        m.on('idle', syncCounts);
        m.on('sourcedata', (e) => { if (e.sourceId === 'points' && e.isSourceLoaded) syncCounts(); });
        setLoaded(true);
      });
    });
    return () => {
      cancelled = true;
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
    if (props.fit === 'grids' && props.grids?.features.length) {
      const b = boundsOf(props.grids);
      if (b && props.marker) b.extend(props.marker);
      if (b) m.fitBounds(b, { padding: 24, duration: 0, maxZoom: 16 });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded, props.grids, props.colorStops, props.fit]);

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
