/**
 * `npm run build:cli`: bundles the command line (its executable entry, main/cli/run.ts) into
 * out/cli/purchase-sender.js, an ES module for plain Node that bin/purchase-sender.js runs.
 */
import { bundleForNode } from './bundle-for-node'

await bundleForNode(
  new URL('../main/cli/run.ts', import.meta.url),
  new URL('../out/cli', import.meta.url),
  'purchase-sender.js',
)
console.log('Built out/cli/purchase-sender.js')
