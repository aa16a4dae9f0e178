// The coverage matrix, operation x documented status: how many answers of each kind reached each
// documented status. The runner fills it from its cases, the validating proxy from traffic it saw.
import { documentedStatuses } from './loader/responses.ts';
import type { CaseKind, OperationSpec, SpecModel } from './model.ts';

export interface CoverageCell {
  status: string;
  example: number;
  probe: number;
  workflow: number;
  /** Answers seen by the validating proxy; absent in a suite run. */
  traffic?: number;
  /** Examples of this status listed as skipped, with their reasons. */
  skipped: string[];
}

export interface CoverageRow {
  tag: string;
  operationId: string;
  method: string;
  path: string;
  cells: CoverageCell[];
  /** Statuses answered that the operation does not document. */
  undocumented: string[];
}

/** Every operation with every documented status, nothing exercised yet. */
export function emptyCoverage(spec: SpecModel, opts: { traffic?: boolean } = {}): Map<string, CoverageRow> {
  const rows = new Map<string, CoverageRow>();
  for (const op of spec.operations) {
    rows.set(op.operationId, {
      tag: op.tag,
      operationId: op.operationId,
      method: op.method.toUpperCase(),
      path: op.path,
      cells: documentedStatuses(op).map((status) => ({ status, example: 0, probe: 0, workflow: 0, ...(opts.traffic ? { traffic: 0 } : {}), skipped: [] })),
      undocumented: [],
    });
  }
  return rows;
}

/** Counts an answer of `op` with `status` in its cell (exact code, then its range, then default), else as undocumented. */
export function markCoverage(rows: Map<string, CoverageRow>, op: OperationSpec, status: number, kind: CaseKind): void {
  const row = rows.get(op.operationId);
  if (!row) return;
  const code = String(status);
  const cell =
    row.cells.find((c) => c.status === code) ?? row.cells.find((c) => c.status === `${code[0]}XX`) ?? row.cells.find((c) => c.status === 'default');
  if (!cell) {
    if (!row.undocumented.includes(code)) row.undocumented.push(code);
    return;
  }
  if (kind === 'traffic') cell.traffic = (cell.traffic ?? 0) + 1;
  else cell[kind]++;
}

/** How many answers reached the cell, of any kind. */
export function hits(cell: CoverageCell): number {
  return cell.example + cell.probe + cell.workflow + (cell.traffic ?? 0);
}
