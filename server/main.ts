// npm start: every contract of server/contracts.ts on one port, on their demo data.
import { CONTRACTS } from './contracts.ts';
import { startContracts } from './shared/start.ts';

startContracts(CONTRACTS);
