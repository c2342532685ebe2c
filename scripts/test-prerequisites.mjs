#!/usr/bin/env node
/**
 * Run by `npm test` before the suites (the `pretest` script): makes sure what the tests need
 * from the system is there on a fresh machine.
 *
 * - Chromium at /usr/bin/chromium, for the Playwright suite (Playwright never downloads one);
 * - a MySQL/MariaDB server the tests can use: TEST_MYSQL_URL, a server on 127.0.0.1:3306, or the
 *   MariaDB server binaries to start a throwaway one (tests/support/mysql-server.ts).
 *
 * What is missing is installed with apt-get when this runs as root on a machine with apt;
 * otherwise it stops with one message naming the exact command to run.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createConnection } from 'node:net'

const CHROMIUM = '/usr/bin/chromium'
const MARIADB_BINARIES = ['/usr/sbin/mariadbd', '/usr/bin/mariadbd']

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}

function serverAnswers(host, port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port })
    const done = (answer) => {
      socket.destroy()
      resolve(answer)
    }
    socket.setTimeout(1_000, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

const packages = []
if (!existsSync(CHROMIUM)) packages.push('chromium', 'fonts-liberation')
const mariadbInstalled = MARIADB_BINARIES.some((file) => existsSync(file)) || onPath('mariadbd')
if (!process.env.TEST_MYSQL_URL && !mariadbInstalled && !(await serverAnswers('127.0.0.1', 3306)))
  packages.push('mariadb-server')

if (packages.length > 0) {
  const command = `apt-get install -y --no-install-recommends ${packages.join(' ')}`
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  if (!root || !onPath('apt-get')) {
    process.stderr.write(
      `The tests need ${packages.join(', ')}, which this machine lacks. Install them, e.g.:\n` +
        `  sudo apt-get update && sudo ${command}\n` +
        `(or set TEST_MYSQL_URL to a MySQL/MariaDB server for the database tests), then run npm test again.\n`,
    )
    process.exit(1)
  }
  process.stderr.write(`npm test: installing ${packages.join(', ')} for the tests…\n`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env })
  execFileSync('sh', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit'], env })
}
