import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, requestIsHttps } from './security.ts';

describe('requestIsHttps', () => {
  it('is true for an https public URL, a TLS socket, or a trusted proxy\'s X-Forwarded-Proto (req.protocol)', () => {
    const req = (protocol: string) => ({ protocol }) as any;
    expect(requestIsHttps(req('http'), {})).toBe(false);
    expect(requestIsHttps(req('https'), {})).toBe(true);
    expect(requestIsHttps(req('http'), { GONGZHI_PUBLIC_URL: 'https://gongzhi.example.gov.cn' })).toBe(true);
    expect(requestIsHttps(req('http'), { GONGZHI_PUBLIC_URL: 'http://localhost:8080' })).toBe(false);
  });
});

describe('contentSecurityPolicy', () => {
  it('allows no inline or evaluated script, and the configured map service for images and data', () => {
    const csp = contentSecurityPolicy({ GONGZHI_MAP_STYLE_URL: 'https://t0.tianditu.gov.cn/vec_w/wmts?x={x}&y={y}&z={z}' });
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['img-src']).toContain('https://t0.tianditu.gov.cn');
    expect(csp['connect-src']).toContain('https://t0.tianditu.gov.cn');
    expect(contentSecurityPolicy({})['img-src']).toEqual(["'self'", 'data:', 'blob:']);
  });
});
