// The contracts npm start serves on one port, in order: each answers its own paths and lets the others
// pass; the last one's error shape answers what none owns. A new contract adds its line here.
import { chutesContract } from './chutes/contract.ts';
import { imagesContract } from './images/contract.ts';
import type { ReferenceContract } from './shared/contract.ts';
import { composeContracts, type ComposedOptions } from './shared/start.ts';
import { stackroxContract } from './stackrox/contract.ts';

export const CONTRACTS: readonly ReferenceContract[] = [imagesContract, stackroxContract, chutesContract];

/** Every contract's reference implementation on its demo data, composed on one app. */
export const createReferenceServer = (options: ComposedOptions) => composeContracts(CONTRACTS, options);
