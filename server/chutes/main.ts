// Starts this contract's reference server alone on its demo data (PORT, HOST, LOG_LEVEL, CONTROL_API).
import { startContracts } from '../shared/start.ts';
import { chutesContract } from './contract.ts';

startContracts([chutesContract]);
