// Real-user monitoring of the shop's page, run in the shopper's browser. The gateway serves it
// bundled as /rum.js (see ../rum-bundle.js) with its settings in <meta name="slipway-rum">:
//   { endpoint, key, serviceName, environment }
// It sends to slipway's OTLP receiver (another origin, so CORS) with the public browser key:
// - the page load (documentLoad, with documentFetch and resourceFetch children),
// - every fetch the page makes (a client span; its traceparent header continues the trace
//   through the gateway to orders, catalog and catalog's database),
// - the web vitals LCP, CLS, INP, TTFB and FCP, each as a `web-vital` span.
// Every span carries `page.route`, the page's path, which the dashboard groups by.
/* global document, navigator, location, addEventListener -- browser code: bundled for the page, never run by Node */
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';

const meta = document.querySelector('meta[name="slipway-rum"]');
if (meta) start(JSON.parse(meta.getAttribute('content') ?? '{}'));

/** Stamps each span with the route of the page it was recorded on. */
function routeProcessor(route) {
  return {
    onStart: (span) => span.setAttribute('page.route', route),
    onEnd: () => {},
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}

function start({ endpoint, key, serviceName, environment }) {
  const base = String(endpoint).replace(/\/+$/, '');
  const resource = defaultResource().merge(
    resourceFromAttributes({
      'service.name': serviceName,
      'telemetry.sdk.language': 'webjs',
      'deployment.environment': environment,
      'deployment.environment.name': environment,
      'user_agent.original': navigator.userAgent,
      'browser.language': navigator.language,
    }),
  );
  const exporter = new OTLPTraceExporter({ url: `${base}/v1/traces`, headers: { 'x-slipway-ingest-key': key } });
  const batch = new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 });
  const provider = new WebTracerProvider({ resource, spanProcessors: [routeProcessor(location.pathname), batch] });
  provider.register();
  registerInstrumentations({
    instrumentations: [
      new DocumentLoadInstrumentation(),
      // Same-origin fetches carry traceparent without being listed; the exporter's own posts are not traced.
      new FetchInstrumentation({ ignoreUrls: [base + '/v1/traces'] }),
    ],
  });

  const tracer = trace.getTracer('shop-web-vitals');
  const report = (metric) => {
    tracer
      .startSpan('web-vital', {
        attributes: {
          'web_vital.name': metric.name,
          'web_vital.value': metric.value,
          'web_vital.rating': metric.rating,
          'web_vital.id': metric.id,
          'web_vital.navigation_type': metric.navigationType,
        },
      })
      .end();
  };
  for (const on of [onLCP, onCLS, onINP, onTTFB, onFCP]) on(report);

  // CLS and INP are final when the page is hidden; send them (fetch keepalive) before it goes.
  addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') setTimeout(() => void provider.forceFlush(), 0);
  });
}
