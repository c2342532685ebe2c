import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

/**
 * Bundles a TypeScript entry into one ES module for plain Node, as the app ships its code:
 * dependencies stay external and load from node_modules (better-sqlite3 and mysql2 must: a native
 * addon and dynamic requires; got is ESM-only and imports natively from an ES module).
 */
export async function bundleForNode(
  entry: URL,
  outDirectory: URL,
  fileName: string,
): Promise<string> {
  const outDir = fileURLToPath(outDirectory)
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: fileURLToPath(entry),
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { entryFileNames: fileName, format: 'es' } },
    },
  })
  return join(outDir, fileName)
}
