/** The shard objective flights.bench.ts's gradient pool imports: −minibatch ELBO for the full run's N training flights. */
import { FULL } from '../src/options.js';
import { shardNegativeElbo } from '../src/model/shard-elbo.js';

export default shardNegativeElbo(FULL.rows - FULL.testSize);
