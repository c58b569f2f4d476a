import { Background, Controls, Handle, MarkerType, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import ELK from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { useEffect, useMemo, useState } from 'react';
import { qs } from '../lib/api.js';
import { formatCount, formatDuration, formatPercent } from '../lib/format.js';
import { navigate, setQuery, useLocation } from '../lib/router.js';
import type { CallStatsDto, EnvironmentsDto, ServiceMapDto } from '../../../src/shared/index.js';
import { firstEnvironment, useBusiestService } from '../lib/busiest-service.js';
import { useResource } from '../lib/use-resource.js';
import { RangePicker, rangeOf } from '../components/range-picker.js';
import { EmptyState, Loading, PageHeader, ResourceState } from '../components/states.js';

const NODE_W = 190;
const NODE_H = 74;
// The layout engine runs in a worker, fetched only when the map is first laid out.
let elk: InstanceType<typeof ELK> | undefined;

/** A node's tone from its fault and error rates: above 5 % red, above 1 % amber. */
export function rateTone(s: Pick<CallStatsDto, 'errorRate' | 'faultRate'>): 'ok' | 'wait' | 'fail' {
  const rate = s.errorRate + s.faultRate;
  return rate > 0.05 ? 'fail' : rate > 0.01 ? 'wait' : 'ok';
}

type MapNodeData = { label: string; kind: string; stats: CallStatsDto; perMinute: number; focus: boolean } & Record<string, unknown>;

function MapNode({ data }: NodeProps<Node<MapNodeData>>) {
  const tone = rateTone(data.stats);
  return (
    <div className={`map-node map-${tone} map-kind-${data.kind}${data.focus ? ' map-focus' : ''}`} aria-current={data.focus ? 'true' : undefined} title={data.kind === 'client' ? "Open the browser's traces (real-user monitoring)" : "Open this service's traces"}>
      <Handle type="target" position={Position.Left} />
      <div className="map-node-name">
        {data.kind === 'client' ? (
          <span className="map-node-kind" aria-hidden="true">
            browser ·{' '}
          </span>
        ) : null}
        {data.label}
      </div>
      <div className="map-node-stats">
        <span>{formatCount(data.perMinute)}/min</span>
        <span className={`tone-text-${tone}`}>{formatPercent(data.stats.errorRate + data.stats.faultRate)} err</span>
        <span>p99 {formatDuration(data.stats.p99Ms)}</span>
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

const nodeTypes = { service: MapNode };

/** Lays the graph out left to right with elkjs' layered algorithm. */
async function layout(map: ServiceMapDto): Promise<Map<string, { x: number; y: number }>> {
  elk ??= new ELK({ workerUrl: elkWorkerUrl });
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.spacing.nodeNode': '70', 'elk.layered.spacing.nodeNodeBetweenLayers': '170', 'elk.edgeRouting': 'SPLINES' },
    children: map.nodes.map((n) => ({ id: n.id, width: NODE_W, height: NODE_H })),
    edges: map.edges.map((e, i) => ({ id: `e${i}`, sources: [e.source], targets: [e.target] })),
  });
  return new Map((graph.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
}

/** The services and what they call, from traces: nodes coloured by error rate, edges with request rate and p99. */
export function ServiceMapView() {
  const { query } = useLocation();
  const range = rangeOf(query.get('range'));
  // Opens on production (else the last environment) and on its service with the most requests, as Metrics does.
  const envs = useResource<EnvironmentsDto>('/api/v1/environments');
  const first = useMemo(() => firstEnvironment(envs.data), [envs.data]);
  const environment = query.get('environment') ?? first?.name;
  const chosen = envs.data?.environments.find((e) => e.name === environment);
  const busiest = useBusiestService(query.get('service') === null ? chosen : undefined, range.id);
  const focus = query.get('service') ?? busiest;
  const map = useResource<ServiceMapDto>(envs.loading ? null : `/api/v1/service-map${qs({ since: range.id, environment })}`);
  const [positions, setPositions] = useState<Map<string, { x: number; y: number }> | undefined>();
  const minutes = range.ms / 60_000;

  useEffect(() => {
    if (!map.data) return;
    let cancelled = false;
    setPositions(undefined);
    layout(map.data).then(
      (p) => !cancelled && setPositions(p),
      () => !cancelled && setPositions(new Map()),
    );
    return () => {
      cancelled = true;
    };
  }, [map.data]);

  const { nodes, edges } = useMemo(() => {
    if (!map.data || !positions) return { nodes: [], edges: [] };
    const nodes: Node<MapNodeData>[] = map.data.nodes.map((n) => ({
      id: n.id,
      type: 'service',
      position: positions.get(n.id) ?? { x: 0, y: 0 },
      data: { label: n.id, kind: n.type, stats: n, perMinute: n.requests / minutes, focus: n.id === focus },
      draggable: true,
      ariaLabel: `${n.type === 'client' ? 'browser client ' : ''}${n.id}: ${formatCount(n.requests / minutes)} requests per minute, ${formatPercent(n.errorRate + n.faultRate)} errors, p99 ${formatDuration(n.p99Ms)}`,
    }));
    const edges: Edge[] = map.data.edges.map((e, i) => {
      const tone = rateTone(e);
      const stroke = tone === 'fail' ? '#c42b2b' : tone === 'wait' ? '#b26a00' : '#8792a2';
      return {
        id: `e${i}`,
        source: e.source,
        target: e.target,
        label: `${formatCount(e.requests / minutes)}/min · p99 ${formatDuration(e.p99Ms)}`,
        labelStyle: { fontSize: 11, fill: '#374151' },
        labelBgStyle: { fill: '#ffffff' },
        labelBgPadding: [4, 2] as [number, number],
        style: { stroke, strokeWidth: 1.5 + Math.min(3, Math.log10(1 + e.requests / minutes)) },
        markerEnd: { type: MarkerType.ArrowClosed, color: stroke },
      };
    });
    return { nodes, edges };
  }, [map.data, positions, minutes, focus]);

  return (
    <>
      <PageHeader title="Service map" subtitle="Who calls whom, from the traces (browsers of real-user monitoring as clients). Click a node to see its traces.">
        {(envs.data?.environments.length ?? 0) > 0 ? (
          <select aria-label="Environment" className="select" value={environment} onChange={(e) => setQuery({ environment: e.target.value, service: undefined })}>
            {envs.data?.environments.map((e) => (
              <option key={e.name}>{e.name}</option>
            ))}
          </select>
        ) : null}
        <button type="button" className="btn" onClick={map.reload}>
          Refresh
        </button>
        <RangePicker value={range.id} onChange={(id) => setQuery({ range: id })} />
      </PageHeader>
      <ResourceState what="service map" loading={map.loading} error={map.error} missing={map.missing}>
        {map.data && map.data.nodes.length === 0 ? (
          <EmptyState title="No traffic traced in this range">Services appear here once they handle requests.</EmptyState>
        ) : positions === undefined ? (
          <Loading label="Laying out…" />
        ) : (
          <section className="card map" aria-label="Service map">
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              fitView
              fitViewOptions={{ padding: 0.2 }}
              minZoom={0.3}
              maxZoom={2}
              nodesConnectable={false}
              proOptions={{ hideAttribution: true }}
              onNodeClick={(_e, n) => navigate(`/traces${qs({ service: n.id })}`)}
            >
              <Background gap={20} color="#e5e7eb" />
              <Controls showInteractive={false} />
            </ReactFlow>
            <div className="map-legend small muted">
              <span>
                <span className="dot tone-ok" /> errors ≤ 1 %
              </span>
              <span>
                <span className="dot tone-wait" /> ≤ 5 %
              </span>
              <span>
                <span className="dot tone-fail" /> &gt; 5 %
              </span>
            </div>
          </section>
        )}
      </ResourceState>
    </>
  );
}
