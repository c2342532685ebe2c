// `npm start`: build the app, then launch it in Electron.
// Electron's binary is fetched on first use; where that cannot happen (no access to GitHub),
// say so plainly instead of dumping the installer's stack trace.
import { spawn, spawnSync } from 'node:child_process'

const isWindows = process.platform === 'win32'

const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit', shell: isWindows })
if (build.status !== 0) {
  console.error('\nBuild failed; not starting the app.')
  process.exit(build.status ?? 1)
}

// The `electron` package exports the path to its binary, downloading it first if needed. Ask in
// a child process so a failed download's stack trace stays out of the user's way.
const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
  encoding: 'utf8',
})
const electronBinary = probe.status === 0 ? probe.stdout.trim() : ''
if (!electronBinary) {
  const reason =
    /Electron failed to install correctly[^\n]*/.exec(probe.stderr)?.[0] ??
    probe.stderr.trim().split('\n').at(-1) ??
    'unknown error'
  console.error(
    [
      '',
      'Purchase Sender was built (out/), but Electron cannot start on this machine:',
      `  ${reason}`,
      'Its binary is missing and could not be downloaded (it is fetched from GitHub on first use).',
      '',
      'Use browser mode instead: the same interface in your browser, with the same history.',
      '  npm run web',
      'It prints a private address (with a token) to open on this computer. In browser mode the',
      'database password and the Connectif API key come from environment variables named in each',
      'profile (for example PURCHASE_SENDER_DB_PASSWORD and PURCHASE_SENDER_CONNECTIF_KEY), set',
      'before starting `npm run web`.',
      '',
    ].join('\n'),
  )
  process.exit(1)
}

const child = spawn(electronBinary, ['.'], { stdio: 'inherit' })
child.on('error', (error) => {
  console.error(`Could not launch Electron (${electronBinary}): ${error.message}`)
  process.exit(1)
})
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0))
})
