// Builds stored images (storage.Image in protojson form) from compact seeds: the demo fixture and the
// simulated scanner both describe images this way. Digests, layers and hashes follow from the name,
// so the same seed always gives the same image.
import { createHash } from 'node:crypto';
import type { ImageName, RegistryIntegration, ScanComponent, Severity, SourceType, StorageImage, Vulnerability } from './model.ts';

export interface VulnSeed {
  cve: string;
  cvss: number;
  severity: 'LOW' | 'MODERATE' | 'IMPORTANT' | 'CRITICAL';
  summary: string;
  /** The fixed version; absent when there is no fix. */
  fixedBy?: string;
  published: string;
  lastModified?: string;
  nvdCvss?: number;
  /** A snoozed CVE: from when, until when (null: indefinitely). */
  snoozed?: { from: string; until: string | null };
}

export interface ComponentSeed {
  name: string;
  version: string;
  source: SourceType;
  /** Where a language package was found. */
  location?: string;
  license?: string;
  architecture?: string;
  /** Index into the image's layers; absent when unknown. */
  layer?: number;
  vulns: VulnSeed[];
}

export interface ImageSeed {
  name: ImageName;
  created: string;
  author: string;
  user: string;
  command: string[];
  entrypoint: string[];
  labels: Record<string, string>;
  /** The Dockerfile instructions after the base layer, e.g. ['RUN apt-get install -y nginx', 'CMD ["nginx"]']. */
  instructions: string[];
  /** null: never scanned (an image the registry would not serve, or a cluster-local one). */
  scan: { time: string; os: string; components: ComponentSeed[] } | null;
  isClusterLocal?: boolean;
  notPullable?: boolean;
}

export const SCANNER = { id: 'a87471e6-9678-4e66-8348-91e302b6de07', name: 'Stackrox Scanner', mirror: '' };
export const SCANNER_VERSION = '4.5.2';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The manifest digest of an image name in the demo world: a hash of its full name. */
export const digestOf = (fullName: string) => `sha256:${sha256(`manifest:${fullName}`)}`;

const round2 = (n: number) => Math.round(n * 100) / 100;

function vulnerability(seed: VulnSeed): Vulnerability {
  return {
    cve: seed.cve,
    cvss: seed.cvss,
    summary: seed.summary,
    link: `https://nvd.nist.gov/vuln/detail/${seed.cve}`,
    ...(seed.fixedBy ? { fixedBy: seed.fixedBy } : {}),
    severity: `${seed.severity}_VULNERABILITY_SEVERITY` as Severity,
    publishedOn: seed.published,
    lastModified: seed.lastModified ?? seed.published,
    suppressed: seed.snoozed !== undefined,
    suppressActivation: seed.snoozed?.from ?? null,
    suppressExpiry: seed.snoozed?.until ?? null,
    nvdCvss: seed.nvdCvss ?? seed.cvss,
  };
}

/** A vulnerability counts (in counts, top CVSS, risk and search) unless it is snoozed. */
export const counts = (v: Vulnerability) => !v.suppressed;

/** Risk grows with the square of each CVSS; a CVE with a fix weighs double (it is actionable). */
function riskOf(vulns: Vulnerability[]): number {
  return round2(1 + vulns.filter(counts).reduce((sum, v) => sum + (v.cvss / 10) ** 2 * (v.fixedBy ? 1 : 0.5), 0));
}

function component(seed: ComponentSeed): ScanComponent {
  const vulns = seed.vulns.map(vulnerability);
  const live = vulns.filter(counts);
  const fixes = live.flatMap((v) => (v.fixedBy ? [v.fixedBy] : []));
  return {
    name: seed.name,
    version: seed.version,
    license: seed.license ? { name: seed.license, type: 'DECLARED', url: '' } : null,
    source: seed.source,
    location: seed.location ?? '',
    ...(seed.layer !== undefined ? { layerIndex: seed.layer } : {}),
    ...(live.length > 0 ? { topCvss: Math.max(...live.map((v) => v.cvss)) } : {}),
    riskScore: riskOf(vulns),
    // the highest fixed version fixes them all (versions of one package compare as text here)
    fixedBy: fixes.sort().at(-1) ?? '',
    architecture: seed.architecture ?? (seed.source === 'OS' ? 'amd64' : ''),
    vulns,
  };
}

/** The derived oneofs of an image: set when it has a scan, absent otherwise. */
function summary(components: ScanComponent[]) {
  const live = new Map<string, Vulnerability>();
  for (const v of components.flatMap((c) => c.vulns).filter(counts)) {
    const seen = live.get(v.cve);
    if (!seen || (v.fixedBy && !seen.fixedBy)) live.set(v.cve, v);
  }
  const cvss = [...live.values()].map((v) => v.cvss);
  return {
    components: components.length,
    cves: live.size,
    fixableCves: [...live.values()].filter((v) => v.fixedBy).length,
    topCvss: cvss.length > 0 ? Math.max(...cvss) : 0,
  };
}

export function buildImage(seed: ImageSeed, registry: RegistryIntegration | undefined, digest = digestOf(seed.name.fullName)): StorageImage {
  const name = seed.name;
  const baseLayer = { instruction: 'ADD', value: `file:${sha256(`base:${name.remote}`).slice(0, 64)} in /`, created: seed.created, author: '', empty: false };
  const layers = [
    baseLayer,
    ...seed.instructions.map((line) => {
      const [instruction = 'RUN', ...value] = line.split(' ');
      return { instruction, value: value.join(' '), created: seed.created, author: seed.author, empty: !['RUN', 'ADD', 'COPY'].includes(instruction) };
    }),
  ];
  const layerShas = layers.filter((l) => !l.empty).map((_l, i) => `sha256:${sha256(`layer:${name.fullName}:${i}`)}`);
  const components = seed.scan?.components.map(component) ?? [];
  const scanned = seed.scan !== null;
  const notes: StorageImage['notes'] = scanned ? [] : ['MISSING_SCAN_DATA'];
  return {
    id: digest,
    name,
    names: [name],
    metadata: {
      v1: {
        digest: `sha256:${sha256(`config:${name.fullName}`)}`,
        created: seed.created,
        author: seed.author,
        layers,
        user: seed.user,
        command: seed.command,
        entrypoint: seed.entrypoint,
        volumes: [],
        labels: seed.labels,
      },
      v2: { digest },
      layerShas,
      dataSource: registry ? { id: registry.id, name: registry.name, mirror: '' } : null,
      version: '4',
    },
    scan: seed.scan
      ? {
          scannerVersion: SCANNER_VERSION,
          scanTime: seed.scan.time,
          operatingSystem: seed.scan.os,
          dataSource: { ...SCANNER },
          notes: [],
          hash: BigInt(`0x${sha256(`scan:${name.fullName}:${JSON.stringify(seed.scan.components)}`).slice(0, 16)}`).toString(),
          components,
        }
      : null,
    signature: { signatures: [], fetched: seed.scan?.time ?? null },
    signatureVerificationData: { results: [] },
    ...(scanned ? summary(components) : {}),
    lastUpdated: seed.scan?.time ?? seed.created,
    notPullable: seed.notPullable ?? false,
    isClusterLocal: seed.isClusterLocal ?? false,
    priority: '0',
    riskScore: riskOf(components.flatMap((c) => c.vulns)),
    notes,
    baseImageInfo: [],
  };
}

/** The image as GetImage shows it: without snoozed CVEs unless asked, without summaries if asked. */
export function presentImage(image: StorageImage, options: { includeSnoozed?: boolean; stripDescription?: boolean }): StorageImage {
  if (!image.scan || (options.includeSnoozed && !options.stripDescription)) return image;
  const components = image.scan.components.map((c) => ({
    ...c,
    vulns: c.vulns.filter((v) => options.includeSnoozed || counts(v)).map((v) => (options.stripDescription ? { ...v, summary: '' } : v)),
  }));
  return { ...image, scan: { ...image.scan, components } };
}
