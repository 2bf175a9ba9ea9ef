// The geocoder and the address library over HTTP: thin handlers over AddressService.
import type { FastifyInstance } from 'fastify';
import { route } from '../../platform/http/route.ts';
import { AddressImport, AddressListQuery, GeocodeQuery, ReverseQuery } from './contracts.ts';
import type { AddressService } from './service.ts';

const tags = ['addresses'];

export function addressRoutes(app: FastifyInstance, addresses: AddressService): void {
  route(app, {
    method: 'GET', url: '/api/v1/geocode', tags, query: GeocodeQuery,
    summary: 'Free-text address → ranked places with their region path (地址解析)',
    handler: async ({ query, actor }) => addresses.geocode(actor, query.q, query.near, query.limit),
  });
  route(app, {
    method: 'GET', url: '/api/v1/geocode/reverse', tags, query: ReverseQuery,
    summary: 'A point → the nearest standard address and its region path (逆地址解析)',
    handler: async ({ query, actor }) => addresses.reverseFor(actor, query.lat, query.lng),
  });
  route(app, {
    method: 'GET', url: '/api/v1/addresses', tags, query: AddressListQuery,
    summary: 'The standard address library in your scope (by region, kind, text or map extent)',
    handler: async ({ query, actor }) => addresses.list(actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/v1/addresses/import', tags, body: AddressImport,
    summary: 'Import standard addresses from CSV, XLSX (base64) or GeoJSON',
    handler: async ({ body, actor }) => addresses.importFile(actor, body),
  });
}
