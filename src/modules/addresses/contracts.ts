// Request schemas of the address library and the geocoder, with their inferred types.
import { z } from 'zod';
import { queryInt } from '../../platform/http/params.ts';

export const addressKinds = ['road', 'door', 'compound', 'building', 'landmark', 'group'] as const;
export type AddressKindT = (typeof addressKinds)[number];

/** A lat,lng pair in a query string ("29.99,106.27"). */
const latLng = z.string().trim().regex(/^-?\d{1,3}(\.\d+)?,\s*-?\d{1,3}(\.\d+)?$/, 'near is "lat,lng" in WGS-84 degrees (纬度,经度)')
  .transform((s) => { const [lat, lng] = s.split(',').map(Number); return { lat, lng }; })
  .refine((p) => Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180, 'near lies outside the globe (坐标超出范围)');

const decimal = (min: number, max: number) => z.string().trim().regex(/^-?\d{1,3}(\.\d+)?$/, 'a decimal number of degrees (十进制度数)')
  .transform(Number).pipe(z.number().min(min).max(max));

export const GeocodeQuery = z.object({
  q: z.string().trim().min(1, 'type an address (请输入地址)').max(200),
  near: latLng.optional(),
  limit: queryInt(1, 20, 5),
}).strict();
export type GeocodeQueryT = z.infer<typeof GeocodeQuery>;

export const ReverseQuery = z.object({ lat: decimal(-90, 90), lng: decimal(-180, 180) }).strict();

export const AddressListQuery = z.object({
  region: z.string().regex(/^\d{6,14}$/, 'region codes are 6–14 digits (区划代码为 6–14 位数字)').optional(),
  kind: z.enum(addressKinds).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  bbox: z.string().trim().regex(/^-?[\d.]+,-?[\d.]+,-?[\d.]+,-?[\d.]+$/, 'bbox is "west,south,east,north" (经纬度范围)')
    .transform((s) => s.split(',').map(Number) as [number, number, number, number]).optional(),
  page: queryInt(1, 10_000, 1),
  pageSize: queryInt(1, 2000, 50),
}).strict();
export type AddressListQueryT = z.infer<typeof AddressListQuery>;

/** One address as the library holds it (and as the seed and the import write it). */
export const AddressInputSchema = z.object({
  kind: z.enum(addressKinds),
  label: z.string().trim().min(1).max(100),
  aliases: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  regionCode: z.string().regex(/^\d{12,14}$/, 'a community (12 digits) or grid (14 digits) code (社区或网格代码)').optional(),
  lat: z.number().min(-90).max(90).nullable().optional(),
  lng: z.number().min(-180).max(180).nullable().optional(),
}).strict();
export type AddressInput = z.input<typeof AddressInputSchema>;

export const AddressImport = z.object({
  format: z.enum(['csv', 'xlsx', 'geojson']),
  /** The file: text for CSV and GeoJSON, base64 for XLSX. */
  content: z.string().min(1).max(20_000_000),
  /** all_or_nothing (default): any bad row rejects the file; valid_rows: the good rows are written, the bad ones reported. */
  mode: z.enum(['all_or_nothing', 'valid_rows']).default('all_or_nothing'),
}).strict();
export type AddressImportT = z.infer<typeof AddressImport>;
