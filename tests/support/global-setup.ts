/**
 * vitest globalSetup: picks the MySQL/MariaDB server once for the whole run and hands its URL to
 * the test files (`inject('mysqlUrl')`), so parallel workers share one server.
 */
import type { TestProject } from 'vitest/node'
import { acquireMysqlServer } from './mysql-server'

declare module 'vitest' {
  export interface ProvidedContext {
    mysqlUrl: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await acquireMysqlServer({ log: (message) => console.log(`[mysql] ${message}`) })
  project.provide('mysqlUrl', server.url)
  return async () => {
    await server.release()
  }
}
