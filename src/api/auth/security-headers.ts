import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The content security policy: a same-origin page with external script and style files only. No
 * inline script or style, no eval, no frames, no plugins; forms post only to the service itself.
 */
export const CONTENT_SECURITY_POLICY = Object.freeze({
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'object-src': ["'none'"],
});

/**
 * Security headers on every answer (helmet), and `Cache-Control: no-store` unless a route sets its
 * own: answers depend on who asks and may hold embargoed figures or a CSRF token.
 */
export function createSecurityHeaders(): RequestHandler[] {
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { ...CONTENT_SECURITY_POLICY } },
    // HSTS only means something over https; browsers ignore it over http, so it does no harm locally.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  });
  const noStore: RequestHandler = (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  };
  return [headers, noStore];
}
