// The simulated scanner: an image it has never seen gets components and CVEs chosen from a small
// catalogue by the hash of its name, so the same name always scans the same way (and examples stay true).
import { createHash } from 'node:crypto';
import type { ComponentSeed, ImageSeed } from './image-build.ts';
import type { ImageName } from './model.ts';

const OS_PACKAGES: Record<string, ComponentSeed[]> = {
  'debian:12': [
    { name: 'openssl', version: '3.0.11-1~deb12u2', source: 'OS', license: 'Apache-2.0', layer: 0, vulns: [{ cve: 'CVE-2023-5678', cvss: 5.3, severity: 'MODERATE', summary: 'Generating excessively long X9.42 DH keys or checking them may be slow.', fixedBy: '3.0.13-1~deb12u1', published: '2023-11-06T16:15:00Z' }] },
    { name: 'libc6', version: '2.36-9+deb12u3', source: 'OS', license: 'LGPL-2.1', layer: 0, vulns: [{ cve: 'CVE-2010-4756', cvss: 4.0, severity: 'LOW', summary: 'The glob implementation in the GNU C Library allows remote authenticated users to cause a denial of service via crafted glob expressions.', published: '2011-03-02T20:00:00Z' }] },
    { name: 'curl', version: '7.88.1-10+deb12u4', source: 'OS', license: 'curl', layer: 1, vulns: [{ cve: 'CVE-2023-38545', cvss: 9.8, severity: 'CRITICAL', summary: 'A heap based buffer overflow in the SOCKS5 proxy handshake of curl.', fixedBy: '7.88.1-10+deb12u5', published: '2023-10-18T04:15:00Z' }] },
    { name: 'tzdata', version: '2024a-0+deb12u1', source: 'OS', license: 'public-domain', layer: 0, vulns: [] },
  ],
  'alpine:v3.19': [
    { name: 'busybox', version: '1.36.1-r15', source: 'OS', license: 'GPL-2.0-only', layer: 0, vulns: [{ cve: 'CVE-2023-42363', cvss: 5.5, severity: 'MODERATE', summary: 'A use-after-free vulnerability was discovered in xasprintf function in xfuncs_printf.c:344 in BusyBox v.1.36.1.', fixedBy: '1.36.1-r16', published: '2023-11-27T22:15:00Z' }] },
    { name: 'musl', version: '1.2.4_git20230717-r4', source: 'OS', license: 'MIT', layer: 0, vulns: [] },
    { name: 'libcrypto3', version: '3.1.4-r2', source: 'OS', license: 'Apache-2.0', layer: 0, vulns: [{ cve: 'CVE-2023-6129', cvss: 6.5, severity: 'MODERATE', summary: 'The POLY1305 MAC implementation contains a bug that might corrupt the internal state of applications running on PowerPC CPU based platforms.', fixedBy: '3.1.4-r3', published: '2024-01-09T17:15:00Z' }] },
  ],
  'rhel:9': [
    { name: 'glibc', version: '2.34-83.el9_3.7', source: 'OS', license: 'LGPLv2+', architecture: 'x86_64', layer: 0, vulns: [{ cve: 'CVE-2023-4911', cvss: 7.8, severity: 'IMPORTANT', summary: 'A buffer overflow was discovered in the GNU C Library dynamic loader ld.so while processing the GLIBC_TUNABLES environment variable (Looney Tunables).', fixedBy: '2.34-83.el9_3.12', published: '2023-10-03T18:15:00Z' }] },
    { name: 'openssl-libs', version: '1:3.0.7-24.el9', source: 'OS', license: 'ASL 2.0', architecture: 'x86_64', layer: 0, vulns: [] },
    { name: 'sqlite-libs', version: '3.34.1-6.el9_1', source: 'OS', license: 'Public Domain', architecture: 'x86_64', layer: 0, vulns: [{ cve: 'CVE-2022-46908', cvss: 7.3, severity: 'MODERATE', summary: 'SQLite, when used in a certain configuration with the --safe option, allows attackers to bypass intended access restrictions.', published: '2022-12-12T00:15:00Z' }] },
  ],
};
const OSES = Object.keys(OS_PACKAGES);

const LANGUAGE_PACKAGES: ComponentSeed[] = [
  { name: 'golang.org/x/net', version: 'v0.15.0', source: 'GO', location: 'app/server', license: 'BSD-3-Clause', architecture: '', layer: 2, vulns: [{ cve: 'CVE-2023-39325', cvss: 7.5, severity: 'IMPORTANT', summary: 'A malicious HTTP/2 client which rapidly creates requests and immediately resets them can cause excessive server resource consumption.', fixedBy: 'v0.17.0', published: '2023-10-11T22:15:00Z' }] },
  { name: 'requests', version: '2.31.0', source: 'PYTHON', location: 'usr/lib/python3/site-packages/requests-2.31.0.dist-info', license: 'Apache-2.0', architecture: '', layer: 2, vulns: [{ cve: 'CVE-2024-35195', cvss: 5.6, severity: 'MODERATE', summary: 'When making requests through a Requests Session, if the first request is made with verify=False, all subsequent requests to the same host continue to ignore cert verification.', fixedBy: '2.32.0', published: '2024-05-20T21:15:00Z' }] },
  { name: 'express', version: '4.18.2', source: 'NODEJS', location: 'app/node_modules/express/package.json', license: 'MIT', architecture: '', layer: 2, vulns: [{ cve: 'CVE-2024-29041', cvss: 6.1, severity: 'MODERATE', summary: 'Versions of Express.js prior to 4.19.2 may redirect to an allow-listed URL even when given a malformed URL.', fixedBy: '4.19.2', published: '2024-03-25T21:15:00Z' }] },
  { name: 'jackson-databind', version: '2.15.2', source: 'JAVA', location: 'app/app.jar/BOOT-INF/lib/jackson-databind-2.15.2.jar', license: 'Apache-2.0', architecture: '', layer: 2, vulns: [] },
];

/** The scan data of an image the scanner has not seen, a pure function of its name and the moment. */
export function simulatedScan(name: ImageName, now: string): ImageSeed {
  const hash = createHash('sha256').update(`scan:${name.fullName}`).digest();
  const byte = (i: number) => hash[i] ?? 0;
  const os = name.remote.includes('alpine') ? 'alpine:v3.19' : OSES[byte(0) % OSES.length]!;
  const packages = OS_PACKAGES[os]!.filter((_p, i) => i === 0 || (byte(1 + i) & 1) === 1);
  const language = LANGUAGE_PACKAGES[byte(8) % LANGUAGE_PACKAGES.length]!;
  const created = new Date(Date.UTC(2025, 0, 1) + (byte(9) * 256 + byte(10)) % 600 * 86_400_000 + byte(11) % 24 * 3_600_000).toISOString().replace('.000Z', 'Z');
  const binary = name.remote.split('/').at(-1) ?? 'app';
  return {
    name,
    created,
    author: '',
    user: byte(12) % 2 === 0 ? '' : '1001',
    command: [],
    entrypoint: [`/usr/local/bin/${binary}`],
    labels: {},
    instructions: ['RUN install-packages', `COPY ${binary} /usr/local/bin/${binary}`, `ENTRYPOINT ["/usr/local/bin/${binary}"]`],
    scan: { time: now, os, components: [...packages, language] },
  };
}
