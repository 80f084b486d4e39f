// The Helm chart in deploy/helm/hookline: linted strictly and rendered with the
// default values and with values-production.yaml by a real Helm binary (built
// from the Go module proxy on first use, see test/infra/helm.ts), then checked
// manifest by manifest. The checks are functions that list problems, so the
// last tests can show that each of them fails on a chart rendered wrong.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureHelm } from '../infra/helm.js';

const execFileAsync = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const chart = join(repoRoot, 'deploy', 'helm', 'hookline');
const productionValues = join(chart, 'values-production.yaml');
const SERVICES = ['marketplace', 'accounting', 'coworking', 'scheduler', 'dispatcher', 'console'] as const;
const RELEASE = 'hl';

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes manifests are checked field by field */
type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any;
  data?: any;
  stringData?: any;
};

let helm: string;

async function helmRun(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync(helm, args, { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
}

async function render(options: { values?: string[]; set?: string[] } = {}): Promise<Manifest[]> {
  // A Helm built by go install reports Kubernetes v1.20 (release builds set it by ldflags); the chart needs 1.25+.
  const args = ['template', RELEASE, chart, '--namespace', 'hookline', '--kube-version', '1.31.0'];
  for (const file of options.values ?? []) args.push('-f', file);
  for (const pair of options.set ?? []) args.push('--set', pair);
  const { stdout } = await helmRun(args);
  const docs = parseAllDocuments(stdout);
  for (const doc of docs)
    if (doc.errors.length > 0) throw new Error(`helm template gave invalid YAML: ${doc.errors[0]!.message}`);
  return docs.map((doc) => doc.toJS() as Manifest | null).filter((m): m is Manifest => m !== null);
}

const ofKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);
const component = (m: Manifest) => m.metadata.labels?.['app.kubernetes.io/component'];
const named = (manifests: Manifest[], kind: string, name: string) =>
  manifests.find((m) => m.kind === kind && m.metadata.name === `${RELEASE}-hookline-${name}`);

/** Every problem of the Deployments' pods: probes, security context, resources, images. */
function podProblems(manifests: Manifest[], image: { registry: string; prefix: string; tag: string }): string[] {
  const problems: string[] = [];
  const deployments = ofKind(manifests, 'Deployment');
  if (deployments.length === 0) problems.push('no Deployment rendered');
  for (const deployment of deployments) {
    const where = deployment.metadata.name;
    const pod = deployment.spec?.template?.spec ?? {};
    if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${where}: pod runAsNonRoot is not true`);
    if (pod.securityContext?.runAsUser !== 1000) problems.push(`${where}: pod runAsUser is not 1000`);
    if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault')
      problems.push(`${where}: pod seccomp is not RuntimeDefault`);
    const containers: any[] = pod.containers ?? [];
    if (containers.length === 0) problems.push(`${where}: no container`);
    for (const c of containers) {
      const at = `${where}/${c.name}`;
      if (c.livenessProbe?.httpGet?.path !== '/health') problems.push(`${at}: liveness probe is not GET /health`);
      if (c.readinessProbe?.httpGet?.path !== '/ready') problems.push(`${at}: readiness probe is not GET /ready`);
      const sc = c.securityContext ?? {};
      if (sc.runAsNonRoot !== true) problems.push(`${at}: runAsNonRoot is not true`);
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: readOnlyRootFilesystem is not true`);
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${at}: capabilities do not drop ALL`);
      if (sc.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${at}: seccomp is not RuntimeDefault`);
      for (const kind of ['requests', 'limits'] as const)
        for (const resource of ['cpu', 'memory'])
          if (c.resources?.[kind]?.[resource] === undefined)
            problems.push(`${at}: resources.${kind}.${resource} not set`);
      const expected = `${image.registry}/${image.prefix}${component(deployment)}:${image.tag}`;
      if (c.image !== expected) problems.push(`${at}: image ${c.image} is not ${expected}`);
      if (/:latest$/.test(c.image) || !/[:@]/.test(c.image.split('/').pop() ?? ''))
        problems.push(`${at}: image ${c.image} is not pinned`);
      if (
        !(pod.volumes ?? []).some((v: any) => v.emptyDir) ||
        !(c.volumeMounts ?? []).some((m: any) => m.mountPath === '/tmp')
      )
        problems.push(`${at}: no writable /tmp (the root filesystem is read-only)`);
    }
  }
  return problems;
}

const PRODUCTS = ['marketplace', 'accounting', 'coworking'] as const;

/**
 * Every problem of the NetworkPolicies: each product service must have one that
 * selects its pods, restricts ingress, and admits on its HTTP port only the
 * scheduler's pods and the peers configured in `expectedPeers`; no rule may
 * admit everyone (an empty `from` or no `ports`).
 */
function networkPolicyProblems(manifests: Manifest[], expectedPeers: unknown[] = []): string[] {
  const problems: string[] = [];
  const policies = ofKind(manifests, 'NetworkPolicy');
  const scheduler = named(manifests, 'Deployment', 'scheduler');
  for (const product of PRODUCTS) {
    const deployment = named(manifests, 'Deployment', product);
    const policy = policies.find(
      (p) => JSON.stringify(p.spec?.podSelector?.matchLabels) === JSON.stringify(deployment?.spec.selector.matchLabels),
    );
    if (!policy) {
      problems.push(`${product}: no NetworkPolicy selects its pods`);
      continue;
    }
    if (!(policy.spec.policyTypes ?? []).includes('Ingress'))
      problems.push(`${product}: the NetworkPolicy does not restrict ingress`);
    const rules: any[] = policy.spec.ingress ?? [];
    for (const rule of rules) {
      if (!rule.from || rule.from.length === 0) problems.push(`${product}: an ingress rule admits every source`);
      if (!rule.ports || rule.ports.length === 0) problems.push(`${product}: an ingress rule admits every port`);
      for (const port of rule.ports ?? [])
        if (port.port !== 'http') problems.push(`${product}: an ingress rule admits port ${port.port}`);
    }
    const peers = rules.flatMap((rule) => rule.from ?? []);
    const schedulerPeer = { podSelector: { matchLabels: scheduler?.spec.selector.matchLabels } };
    if (!scheduler || !peers.some((peer) => JSON.stringify(peer) === JSON.stringify(schedulerPeer)))
      problems.push(`${product}: the scheduler's pods are not admitted`);
    for (const peer of peers) {
      const known =
        JSON.stringify(peer) === JSON.stringify(schedulerPeer) ||
        expectedPeers.some((expected) => JSON.stringify(expected) === JSON.stringify(peer));
      if (!known)
        problems.push(`${product}: admits ${JSON.stringify(peer)}, neither the scheduler nor a configured client`);
    }
    for (const expected of expectedPeers)
      if (!peers.some((peer) => JSON.stringify(peer) === JSON.stringify(expected)))
        problems.push(`${product}: does not admit the configured ${JSON.stringify(expected)}`);
  }
  // Only the product services are closed this way: the management API and the console are reached through the Ingress.
  for (const policy of policies)
    if (!PRODUCTS.includes(component(policy) as (typeof PRODUCTS)[number]))
      problems.push(`unexpected NetworkPolicy ${policy.metadata.name}`);
  return problems;
}

describe('Helm chart deploy/helm/hookline', () => {
  beforeAll(async () => {
    helm = await ensureHelm();
  }, 600_000);

  it('builds a Helm 3 binary', async () => {
    const { stdout } = await helmRun(['version', '--short']);
    expect(stdout).toMatch(/^v3\.\d+/);
  });

  it('passes helm lint --strict with the default values and with values-production.yaml', async () => {
    const byDefault = await helmRun(['lint', '--strict', chart]);
    expect(byDefault.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    const production = await helmRun(['lint', '--strict', chart, '-f', productionValues]);
    expect(production.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('renders a Deployment and a Service per service, a ConfigMap and a Secret by default', async () => {
    const manifests = await render();
    expect(ofKind(manifests, 'Deployment').map(component).sort()).toEqual([...SERVICES].sort());
    expect(ofKind(manifests, 'Service').map(component).sort()).toEqual([...SERVICES].sort());
    for (const service of ofKind(manifests, 'Service')) {
      expect(service.spec.ports[0].port).toBe(3000);
      expect(service.spec.selector['app.kubernetes.io/component']).toBe(component(service));
    }
    for (const deployment of ofKind(manifests, 'Deployment')) {
      expect(deployment.spec.replicas).toBe(1);
      expect(deployment.spec.template.spec.containers[0].ports[0].containerPort).toBe(3000);
    }
    expect(ofKind(manifests, 'ConfigMap')).toHaveLength(1);
    const [secret] = ofKind(manifests, 'Secret');
    expect(secret).toBeDefined();
    expect(Object.keys(secret!.stringData).sort()).toEqual([
      'HOOKLINE_ADMIN_KEY',
      'HOOKLINE_SERVICE_KEY',
      'MONGODB_URI',
    ]);
    // The service credential is generated when not given (and kept on upgrades by looking the installed Secret up).
    expect(secret!.stringData.HOOKLINE_SERVICE_KEY).toMatch(/^[A-Za-z0-9]{48}$/);
    // One dispatcher replica and no autoscaling: an HPA or a PDB (minAvailable 1 of 1 blocks node drains) would be wrong.
    expect(ofKind(manifests, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(ofKind(manifests, 'PodDisruptionBudget')).toEqual([]);
  });

  it('puts the shared configuration in the ConfigMap and the credentials in the Secret', async () => {
    const manifests = await render();
    const [configMap] = ofKind(manifests, 'ConfigMap');
    expect(configMap!.data).toMatchObject({
      KAFKA_BROKERS: 'kafka:9092',
      MONGODB_DB: 'hookline',
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
    });
    for (const name of SERVICES) expect(configMap!.data[`${name}.OTEL_SERVICE_NAME`]).toBe(`hookline-${name}`);
    const secretName = ofKind(manifests, 'Secret')[0]!.metadata.name;
    for (const deployment of ofKind(manifests, 'Deployment')) {
      const container = deployment.spec.template.spec.containers[0];
      expect(container.envFrom).toEqual([{ configMapRef: { name: configMap!.metadata.name } }]);
      const env = Object.fromEntries(container.env.map((e: any) => [e.name, e]));
      expect(env.MONGODB_URI.valueFrom.secretKeyRef).toMatchObject({ name: secretName, key: 'MONGODB_URI' });
      expect(env.HOOKLINE_ADMIN_KEY.valueFrom.secretKeyRef).toMatchObject({
        name: secretName,
        key: 'HOOKLINE_ADMIN_KEY',
      });
      expect(env.OTEL_SERVICE_NAME.valueFrom.configMapKeyRef.key).toBe(`${component(deployment)}.OTEL_SERVICE_NAME`);
      expect(env.HOOKLINE_METRICS_TOKEN.valueFrom.secretKeyRef).toMatchObject({
        name: secretName,
        key: 'HOOKLINE_METRICS_TOKEN',
        optional: true,
      });
      expect(env.HOOKLINE_SERVICE_KEY.valueFrom.secretKeyRef).toMatchObject({
        name: secretName,
        key: 'HOOKLINE_SERVICE_KEY',
      });
      // Prometheus finds every pod's /metrics.
      expect(deployment.spec.template.metadata.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '3000',
        'prometheus.io/path': '/metrics',
      });
    }
  });

  it('answers only its own host names, and the scheduler calls the product Services with the service credential', async () => {
    const manifests = await render({
      set: [
        'config.allowedHosts={hookline.example.com,.corp.example}',
        'secrets.serviceKey=a-service-credential-of-at-least-32-chars',
      ],
    });
    const hosts = String(ofKind(manifests, 'ConfigMap')[0]!.data.HOOKLINE_ALLOWED_HOSTS).split(',');
    for (const name of SERVICES) {
      expect(hosts).toEqual(
        expect.arrayContaining([
          `hl-hookline-${name}`,
          `hl-hookline-${name}.hookline`,
          `hl-hookline-${name}.hookline.svc`,
          `hl-hookline-${name}.hookline.svc.cluster.local`,
        ]),
      );
    }
    expect(hosts).toEqual(expect.arrayContaining(['hookline.example.com', '.corp.example']));
    expect(ofKind(manifests, 'Secret')[0]!.stringData.HOOKLINE_SERVICE_KEY).toBe(
      'a-service-credential-of-at-least-32-chars',
    );
    const scheduler = named(manifests, 'Deployment', 'scheduler')!;
    const env = Object.fromEntries(scheduler.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env.SCHEDULER_MARKETPLACE_URL).toBe(
      `http://${named(manifests, 'Service', 'marketplace')!.metadata.name}:3000`,
    );
    expect(env.SCHEDULER_COWORKING_URL).toBe(`http://${named(manifests, 'Service', 'coworking')!.metadata.name}:3000`);
    await expect(render({ set: ['secrets.serviceKey=too-short'] })).rejects.toThrow(
      /secrets.serviceKey must be at least 32 characters/,
    );
  });

  it('lets only the scheduler and the configured back ends reach the product services (NetworkPolicies)', async () => {
    expect(networkPolicyProblems(await render())).toEqual([]);
    const backEnd = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'products' } } };
    const scraper = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
    };
    expect(networkPolicyProblems(await render({ values: [productionValues] }), [backEnd, scraper])).toEqual([]);
    // The checks can fail: no policies, or a rule that admits everyone.
    const open = await render({ set: ['networkPolicy.enabled=false'] });
    expect(networkPolicyProblems(open)).toEqual(
      PRODUCTS.map((product) => `${product}: no NetworkPolicy selects its pods`),
    );
    const stranger = await render({ set: ['networkPolicy.productClients[0].podSelector.matchLabels.app=anything'] });
    expect(
      networkPolicyProblems(stranger).filter((problem) =>
        problem.includes('neither the scheduler nor a configured client'),
      ),
    ).toHaveLength(3);
  });

  it('gives every container probes, a locked-down security context, resources and a pinned image (default values)', async () => {
    expect(podProblems(await render(), { registry: 'ghcr.io', prefix: 'hookline/', tag: '0.1.0' })).toEqual([]);
  });

  it('renders the production values: dispatcher HPA and PDB, existingSecret and no Secret, real hosts', async () => {
    const manifests = await render({ values: [productionValues] });
    expect(podProblems(manifests, { registry: 'registry.example.com', prefix: 'hookline/', tag: '0.1.0' })).toEqual([]);
    expect(ofKind(manifests, 'Deployment').map(component).sort()).toEqual([...SERVICES].sort());
    expect(ofKind(manifests, 'Service').map(component).sort()).toEqual([...SERVICES].sort());
    expect(ofKind(manifests, 'Secret')).toEqual([]);

    const dispatcher = named(manifests, 'Deployment', 'dispatcher')!;
    expect(dispatcher.spec.replicas).toBeUndefined(); // the HPA owns the replica count
    const [hpa] = ofKind(manifests, 'HorizontalPodAutoscaler');
    expect(ofKind(manifests, 'HorizontalPodAutoscaler')).toHaveLength(1);
    expect(hpa!.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: dispatcher.metadata.name,
    });
    expect(hpa!.spec.minReplicas).toBe(3);
    expect(hpa!.spec.maxReplicas).toBeGreaterThan(3);
    const [pdb] = ofKind(manifests, 'PodDisruptionBudget');
    expect(ofKind(manifests, 'PodDisruptionBudget')).toHaveLength(1);
    expect(pdb!.spec.selector.matchLabels).toEqual(dispatcher.spec.selector.matchLabels);
    expect(pdb!.spec.minAvailable).toBeGreaterThanOrEqual(1);

    const env = Object.fromEntries(dispatcher.spec.template.spec.containers[0].env.map((e: any) => [e.name, e]));
    expect(env.MONGODB_URI.valueFrom.secretKeyRef.name).toBe('hookline-credentials');
    const data = ofKind(manifests, 'ConfigMap')[0]!.data;
    expect(data.KAFKA_BROKERS.split(',')).toHaveLength(3);
    expect(data.KAFKA_BROKERS).toMatch(/\.svc\.cluster\.local:9092/);
    expect(data.OTEL_EXPORTER_OTLP_ENDPOINT).toMatch(/^http:\/\/.+:4318$/);
    // Behind the Ingress, the client address comes from X-Forwarded-For (the rate limit's per-address budget).
    expect(data.HOOKLINE_TRUST_PROXY).toBe('10.0.0.0/8');
    expect(data.HOOKLINE_ALLOWED_HOSTS.split(',')).toContain('hookline.example.com');

    // Without autoscaling, the production dispatcher runs its 3 replicas and keeps its PDB.
    const fixed = await render({ values: [productionValues], set: ['services.dispatcher.autoscaling.enabled=false'] });
    expect(named(fixed, 'Deployment', 'dispatcher')!.spec.replicas).toBe(3);
    expect(ofKind(fixed, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(ofKind(fixed, 'PodDisruptionBudget')).toHaveLength(1);
  });

  it('leaves out a disabled service', async () => {
    const manifests = await render({ set: ['services.console.enabled=false'] });
    expect(ofKind(manifests, 'Deployment').map(component)).not.toContain('console');
    expect(ofKind(manifests, 'Service').map(component)).not.toContain('console');
    expect(ofKind(manifests, 'Deployment')).toHaveLength(SERVICES.length - 1);
  });

  it('refuses an unpinned image and a short admin key', async () => {
    await expect(render({ set: ['image.tag=latest'] })).rejects.toThrow(/pin the image/);
    await expect(render({ set: ['image.tag='] })).rejects.toThrow(/pin the image/);
    await expect(render({ set: ['secrets.adminKey=short'] })).rejects.toThrow(/at least 24 characters/);
    const byDigest = await render({ set: [`image.digest=sha256:${'a'.repeat(64)}`] });
    for (const d of ofKind(byDigest, 'Deployment'))
      expect(d.spec.template.spec.containers[0].image).toMatch(/@sha256:a{64}$/);
  });

  it('reports every weakened setting (the checks can fail)', async () => {
    const weakened = await render({
      set: [
        'probes.liveness.path=/ready',
        'probes.readiness.path=/health',
        'containerSecurityContext.runAsNonRoot=false',
        'containerSecurityContext.readOnlyRootFilesystem=false',
        'containerSecurityContext.allowPrivilegeEscalation=true',
        'containerSecurityContext.capabilities.drop=null',
        'podSecurityContext.runAsNonRoot=false',
        'services.console.resources.limits=null',
        'image.tag=0.2.0',
      ],
    });
    const problems = podProblems(weakened, { registry: 'ghcr.io', prefix: 'hookline/', tag: '0.1.0' });
    for (const expected of [
      'liveness probe is not GET /health',
      'readiness probe is not GET /ready',
      'pod runAsNonRoot is not true',
      ': runAsNonRoot is not true',
      'readOnlyRootFilesystem is not true',
      'allowPrivilegeEscalation is not false',
      'capabilities do not drop ALL',
      'hl-hookline-console/console: resources.limits.cpu not set',
      'is not ghcr.io/hookline/marketplace:0.1.0',
    ])
      expect(
        problems.some((p) => p.includes(expected)),
        `expected a problem containing "${expected}" in\n${problems.join('\n')}`,
      ).toBe(true);
    expect(problems.filter((p) => p.includes('resources.limits'))).toHaveLength(2); // console only: cpu and memory
  });
});
