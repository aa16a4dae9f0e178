// Types of what the plain-JS lint plugin exports, for the tests that compare it with spec-conventions/.
export function callerRoles(root: Record<string, unknown> | undefined): string[];
export default function examplesPlugin(): unknown;
export const PAIRING_EXTENSION: string;
export const SAME_KEY: string;
export function pairingGaps(op: Record<string, unknown>, key: string): string[];
export function from30(node: Record<string, unknown>, out: Record<string, unknown>): Record<string, unknown>;
