/**
 * A MySQL/MariaDB server for the store-reader tests and the read benchmark, and throwaway
 * databases on it.
 *
 * Kept free of any vitest import at module level so the benchmark script (run with tsx, outside
 * vitest) can use `acquireMysqlServer` and `createTestDatabase` too.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mysql, { type Pool } from 'mysql2/promise'

export const DEFAULT_LOCAL_MYSQL_URL = 'mysql://root@127.0.0.1:3306'

export interface MysqlServer {
  /** `mysql://user[:password]@host:port`, with an account allowed to create databases and users. */
  readonly url: string
  /** Where the server came from, for logs. */
  readonly origin: 'env' | 'local' | 'spawned'
  /** Stops and deletes a server this process started; no-op for a server found running. */
  release(): Promise<void>
}

export interface MysqlServerOptions {
  /** Defaults to `process.env.TEST_MYSQL_URL`. */
  readonly url?: string
  /** Tried when no url is given; defaults to root on 127.0.0.1:3306. */
  readonly localUrl?: string
  readonly log?: (message: string) => void
}

export interface ServerAddress {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password: string
}

export function parseMysqlUrl(url: string): ServerAddress {
  const parsed = new URL(url)
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new Error(`Not a mysql:// URL: ${url}`)
  }
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port === '' ? 3306 : Number(parsed.port),
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
  }
}

export function formatMysqlUrl(address: ServerAddress, database?: string): string {
  const auth =
    encodeURIComponent(address.user) +
    (address.password === '' ? '' : `:${encodeURIComponent(address.password)}`)
  const path = database === undefined ? '' : `/${encodeURIComponent(database)}`
  return `mysql://${auth}@${address.host}:${address.port}${path}`
}

async function canConnect(url: string): Promise<boolean> {
  const address = parseMysqlUrl(url)
  try {
    const connection = await mysql.createConnection({ ...address, connectTimeout: 2000 })
    await connection.end()
    return true
  } catch {
    return false
  }
}

/**
 * `TEST_MYSQL_URL` when set (it must work: a CI that configured a server wants to hear that it is
 * unreachable), else the local server on 3306 when root can log in, else a throwaway `mariadbd`.
 */
export async function acquireMysqlServer(options: MysqlServerOptions = {}): Promise<MysqlServer> {
  const log = options.log ?? (() => undefined)
  const envUrl = options.url ?? process.env['TEST_MYSQL_URL']
  if (envUrl !== undefined && envUrl !== '') {
    if (!(await canConnect(envUrl))) {
      throw new Error(`TEST_MYSQL_URL is set but no connection succeeds: ${redact(envUrl)}`)
    }
    log(`MySQL server from TEST_MYSQL_URL: ${redact(envUrl)}`)
    return { url: stripPath(envUrl), origin: 'env', release: async () => undefined }
  }
  const localUrl = options.localUrl ?? DEFAULT_LOCAL_MYSQL_URL
  if (await canConnect(localUrl)) {
    log(`MySQL server already running: ${redact(localUrl)}`)
    return { url: localUrl, origin: 'local', release: async () => undefined }
  }
  return spawnMariadb(log)
}

function stripPath(url: string): string {
  return formatMysqlUrl(parseMysqlUrl(url))
}

function redact(url: string): string {
  const address = parseMysqlUrl(url)
  return formatMysqlUrl({ ...address, password: address.password === '' ? '' : '***' })
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} exited with ${String(code)}:\n${output.slice(-4000)}`)),
    )
  })
}

async function spawnMariadb(log: (message: string) => void): Promise<MysqlServer> {
  const dir = await mkdtemp(join(tmpdir(), 'purchase-sender-mariadb-'))
  const datadir = join(dir, 'data')
  const socket = join(dir, 'mariadb.sock')
  const port = await freePort()
  // mariadbd refuses to run as root unless told to; as any other user the flag would be an error.
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const userArgs = asRoot ? ['--user=root'] : []
  let child: ChildProcess | undefined
  let childOutput = ''
  try {
    await run('mariadb-install-db', [
      '--no-defaults',
      ...userArgs,
      `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ])
    child = spawn(
      'mariadbd',
      [
        '--no-defaults',
        ...userArgs,
        `--datadir=${datadir}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${socket}`,
        `--pid-file=${join(dir, 'mariadb.pid')}`,
        '--skip-log-bin',
        '--innodb-buffer-pool-size=64M',
        '--innodb-flush-log-at-trx-commit=2',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_general_ci',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const started = child
    // mariadbd says "ready for connections" once it listens: wait for that line (or its exit),
    // not for a connection attempt to succeed at last.
    await new Promise<void>((resolve, reject) => {
      const fail = (message: string): void => {
        clearTimeout(deadline)
        reject(new Error(`${message}:\n${childOutput.slice(-4000)}`))
      }
      const read = (chunk: Buffer): void => {
        childOutput += chunk.toString()
        if (/ready for connections/i.test(childOutput)) {
          clearTimeout(deadline)
          resolve()
        }
      }
      const deadline = setTimeout(() => fail('mariadbd not ready after 60 s'), 60_000)
      started.stdout?.on('data', read)
      started.stderr?.on('data', read)
      started.once('error', (error) => fail(`mariadbd did not start (${error.message})`))
      started.once('exit', (code, signal) =>
        fail(`mariadbd exited with ${code === null ? String(signal) : String(code)}`),
      )
    })
    const url = `mysql://root@127.0.0.1:${port}`
    if (!(await canConnect(url))) {
      throw new Error(`mariadbd is ready but refuses root:\n${childOutput.slice(-4000)}`)
    }
    log(`Started a throwaway mariadbd on port ${port} in ${dir}`)
    return {
      url,
      origin: 'spawned',
      release: async () => {
        await stopChild(started)
        await rm(dir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    if (child !== undefined) await stopChild(child)
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  await exited
  clearTimeout(timer)
}

// ---------------------------------------------------------------------------------------------
// Per-test-file databases

export interface TestUserOptions {
  /** Privileges to grant, e.g. ['SELECT']; none by default, so the user can log in and no more. */
  readonly privileges?: readonly string[]
  /** Restrict the grant to these tables (full names, prefix included); the whole database when absent. */
  readonly tables?: readonly string[]
}

export interface TestUser {
  readonly user: string
  readonly password: string
  /** Connection URL for this user, including the database. */
  readonly url: string
}

export interface TestDatabase {
  /** Admin URL including the database. */
  readonly url: string
  readonly database: string
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password: string
  /** Admin pool on this database (utf8mb4, dateStrings, decimals as strings). */
  readonly admin: Pool
  /** A login with only the given grants on this database; dropped by `drop()`. */
  createUser(options?: TestUserOptions): Promise<TestUser>
  /** Drops the database and the users made for it, and closes `admin`. */
  drop(): Promise<void>
}

export interface TestDatabaseOptions {
  /** Server URL; in vitest, defaults to the one global-setup provided. */
  readonly serverUrl?: string
}

async function providedServerUrl(): Promise<string> {
  const fromEnv = process.env['TEST_MYSQL_URL']
  try {
    // Loaded lazily so this module stays usable outside vitest.
    const { inject } = await import('vitest')
    const url = inject('mysqlUrl')
    if (typeof url === 'string' && url !== '') return url
  } catch {
    // Not inside a vitest worker.
  }
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_LOCAL_MYSQL_URL
}

function randomSuffix(bytes = 4): string {
  return randomBytes(bytes).toString('hex')
}

export async function createTestDatabase(
  label: string,
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const serverUrl = options.serverUrl ?? (await providedServerUrl())
  const address = parseMysqlUrl(serverUrl)
  const cleanLabel = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30)
  // pid + random keeps parallel workers (and parallel runs sharing one server) apart.
  const database = `ps_test_${cleanLabel}_${process.pid}_${randomSuffix()}`.slice(0, 64)

  const setup = await mysql.createConnection({ ...address, charset: 'utf8mb4' })
  try {
    await setup.query(
      `CREATE DATABASE ${setup.escapeId(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`,
    )
  } finally {
    await setup.end()
  }

  const admin = mysql.createPool({
    ...address,
    database,
    charset: 'utf8mb4',
    dateStrings: true,
    supportBigNumbers: true,
    connectionLimit: 4,
  })
  const users: string[] = []

  return {
    url: formatMysqlUrl(address, database),
    database,
    host: address.host,
    port: address.port,
    user: address.user,
    password: address.password,
    admin,
    async createUser(userOptions: TestUserOptions = {}): Promise<TestUser> {
      const user = `pst_${randomSuffix(5)}`
      const password = `pw_${randomSuffix(8)}`
      // Several host forms, so an anonymous ''@localhost account can never shadow the user.
      const hosts = ['%', 'localhost', '127.0.0.1']
      const privileges = userOptions.privileges ?? []
      for (const host of hosts) {
        const account = `${admin.escape(user)}@${admin.escape(host)}`
        await admin.query(`CREATE USER ${account} IDENTIFIED BY ${admin.escape(password)}`)
        users.push(account)
        if (privileges.length === 0) continue
        const targets =
          userOptions.tables === undefined
            ? [`${admin.escapeId(database)}.*`]
            : userOptions.tables.map(
                (table) => `${admin.escapeId(database)}.${admin.escapeId(table)}`,
              )
        for (const target of targets) {
          await admin.query(`GRANT ${privileges.join(', ')} ON ${target} TO ${account}`)
        }
      }
      return { user, password, url: formatMysqlUrl({ ...address, user, password }, database) }
    },
    async drop(): Promise<void> {
      try {
        for (const account of users) await admin.query(`DROP USER IF EXISTS ${account}`)
        await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeId(database)}`)
      } finally {
        await admin.end()
      }
    },
  }
}
