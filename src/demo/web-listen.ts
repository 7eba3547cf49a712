// Where the demo's web service listens unless told otherwise: an address of its own on loopback, so
// it shows which server serves it without touching anything real.
export const WEB_LISTEN = { host: '127.0.0.100', port: 8080 } as const;

/** The environment variable that tells the web service where to listen, as HOST:PORT. */
export const WEB_LISTEN_ENV = 'VIGIL_DEMO_WEB_LISTEN';
