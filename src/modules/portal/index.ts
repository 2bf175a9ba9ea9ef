// The resident portal's public surface (公众门户): anonymous reports, tracking and rating, served as routes.
export { portalRoutes } from './routes.ts';
