/**
 * The release workflow cannot run here (it packs and signs on GitHub's runners): this checks what
 * can be checked offline. `.github/workflows/release.yml` is valid against SchemaStore's GitHub
 * workflow JSON schema (the copy @action-validator/core ships, embedded in its WebAssembly module,
 * validated here with ajv) and against @action-validator/core's own checks; it does what the README
 * says; and the packaged-test build differs from the shipped one only by the fuse Playwright needs.
 */
import { createRequire } from 'node:module'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { validateWorkflow } from '@action-validator/core'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const root = path.resolve(import.meta.dirname, '../..')
const workflowFile = path.join(root, '.github/workflows/release.yml')
const require = createRequire(import.meta.url)

// ajv-formats is CommonJS with `exports.default`: the function is either the import or its default.
const addFormats =
  (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule

const SCHEMA_ID = 'https://json.schemastore.org/github-workflow.json'

/**
 * SchemaStore's github-workflow.json as @action-validator/core embeds it (Rust `include_str!`,
 * stored verbatim in the module's data): found by its `$id`, cut at its matching closing brace.
 */
function embeddedWorkflowSchema(): Record<string, unknown> {
  const wasm = readFileSync(require.resolve('@action-validator/core/action_validator_bg.wasm'))
  const text = wasm.toString('latin1')
  const idAt = text.indexOf(`"$id": "${SCHEMA_ID}"`)
  if (idAt < 0) throw new Error('no github-workflow schema in @action-validator/core')
  const start = text.lastIndexOf('\n{', idAt) + 1
  let depth = 0
  let inString = false
  for (let index = start; index < text.length; index += 1) {
    const char = text[index]
    if (inString) {
      if (char === '\\') index += 1
      else if (char === '"') inString = false
    } else if (char === '"') inString = true
    else if (char === '{') depth += 1
    else if (char === '}' && (depth -= 1) === 0)
      return JSON.parse(wasm.subarray(start, index + 1).toString('utf8')) as Record<string, unknown>
  }
  throw new Error('unterminated github-workflow schema')
}

interface Step {
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
}
interface Job {
  'runs-on': string
  needs?: string | string[]
  permissions?: Record<string, string>
  strategy?: { matrix: { include: { os: string; platform: string; 'builder-args': string }[] } }
  steps: Step[]
}
interface Workflow {
  on: { push: { tags: string[] } }
  permissions: Record<string, string>
  jobs: Record<string, Job>
}

let validate: ValidateFunction
let source: string
let workflow: Workflow

beforeAll(() => {
  const schema = embeddedWorkflowSchema()
  // strict: false: SchemaStore schemas carry annotations (markdownDescription…) ajv does not know.
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  validate = ajv.compile(schema)
  source = readFileSync(workflowFile, 'utf8')
  workflow = parse(source) as Workflow
})

const steps = (job: string): Step[] => workflow.jobs[job]?.steps ?? []
const runs = (job: string): string =>
  steps(job)
    .map((step) => step.run ?? '')
    .join('\n')

describe('release workflow', () => {
  it('the schema is SchemaStore github-workflow (draft-07), and it rejects an invalid workflow', () => {
    const schema = embeddedWorkflowSchema()
    expect(schema['$id']).toBe(SCHEMA_ID)
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#')
    // A job without runs-on, and a trigger that does not exist.
    const broken = { on: { tag: {} }, jobs: { build: { steps: [{ run: 'true' }] } } }
    expect(validate(broken)).toBe(false)
  })

  it('is valid against the GitHub workflow JSON schema', () => {
    const valid = validate(workflow)
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([])
    expect(valid).toBe(true)
  })

  it("passes @action-validator/core's checks", () => {
    const result = validateWorkflow(source)
    expect(result.errors).toEqual([])
  })

  it('runs on version tags and builds on Linux, Windows and macOS with Node 20', () => {
    expect(workflow.on.push.tags).toEqual(['v*'])
    expect(workflow.permissions).toEqual({ contents: 'read' })
    const matrix = workflow.jobs['build']?.strategy?.matrix.include ?? []
    expect(matrix.map((entry) => entry.os).sort()).toEqual([
      'macos-latest',
      'ubuntu-latest',
      'windows-latest',
    ])
    for (const job of Object.keys(workflow.jobs)) {
      for (const step of steps(job)) {
        // Every action pinned to a version, none on a branch.
        if (step.uses) expect(step.uses, job).toMatch(/@v\d+(\.\d+){0,2}$/)
        if (step.uses?.startsWith('actions/setup-node'))
          expect(step.with?.['node-version']).toBe(20)
      }
    }
    expect(runs('build')).toContain('npm ci')
    expect(runs('build')).toContain('--publish never')
  })

  it('tests the packaged Linux app under xvfb before building the installers', () => {
    expect(workflow.jobs['packaged-test']?.['runs-on']).toBe('ubuntu-latest')
    expect(workflow.jobs['build']?.needs).toBe('packaged-test')
    const commands = runs('packaged-test')
    expect(commands).toContain(
      'npx electron-builder --linux dir --publish never --config .github/electron-builder.packaged-test.yml',
    )
    expect(commands).toContain(
      'xvfb-run -a npx playwright test -c tests/packaged/playwright.packaged.config.ts',
    )
    expect(existsSync(path.join(root, 'tests/packaged/playwright.packaged.config.ts'))).toBe(true)
    expect(existsSync(path.join(root, 'tests/packaged/packaged-app.spec.ts'))).toBe(true)
  })

  it('signs only with the secrets present, else warns and builds unsigned', () => {
    const build = steps('build').find((step) => step.run?.includes('npx electron-builder'))
    expect(Object.keys(build?.env ?? {})).toEqual(
      expect.arrayContaining([
        'CSC_LINK',
        'CSC_KEY_PASSWORD',
        'WIN_CSC_LINK',
        'WIN_CSC_KEY_PASSWORD',
        'APPLE_ID',
        'APPLE_APP_SPECIFIC_PASSWORD',
        'APPLE_TEAM_ID',
      ]),
    )
    expect(build?.run).toContain('export CSC_IDENTITY_AUTO_DISCOVERY=false')
    expect(build?.run).toContain('::warning::CSC_LINK is not set')
    expect(build?.run).toContain('::warning::WIN_CSC_LINK is not set')
  })

  it('puts the installers and latest*.yml on a draft release, never a published one', () => {
    const release = workflow.jobs['release']
    expect(release?.needs).toBe('build')
    expect(release?.permissions).toEqual({ contents: 'write' })
    expect(runs('release')).toContain('gh release create "$TAG" artifacts/* --draft')
    const upload = steps('build').find((step) => step.uses?.startsWith('actions/upload-artifact'))
    expect(String(upload?.with?.['path'])).toContain('dist/latest*.yml')
  })
})

describe('electron-builder configuration', () => {
  type Config = Record<string, unknown> & {
    electronFuses: Record<string, boolean>
    directories: { output: string }
    publish: { provider: string; owner: string; repo: string }
    asarUnpack: string[]
    npmRebuild: boolean
  }
  const builderConfig = require('app-builder-lib/out/util/config/config') as {
    getConfig(projectDir: string, configPath: string | null, options: unknown): Promise<Config>
    validateConfiguration(config: Config, debugLogger: unknown): Promise<void>
  }
  const { DebugLogger } = require('builder-util') as {
    DebugLogger: new (enabled: boolean) => unknown
  }

  it('is valid, publishes to GitHub for electron-updater and unpacks better-sqlite3', async () => {
    const shipped = await builderConfig.getConfig(root, null, null)
    await builderConfig.validateConfiguration(shipped, new DebugLogger(false))
    expect(shipped.publish).toMatchObject({ provider: 'github' })
    expect(shipped.asarUnpack).toContain('**/node_modules/better-sqlite3/**')
    expect(shipped.npmRebuild).toBe(true)
    expect(shipped.electronFuses['enableNodeCliInspectArguments']).toBe(false)
  })

  it('the packaged-test build differs only by the inspect fuse and its output folder', async () => {
    const shipped = await builderConfig.getConfig(root, null, null)
    const tested = await builderConfig.getConfig(
      root,
      '.github/electron-builder.packaged-test.yml',
      null,
    )
    await builderConfig.validateConfiguration(tested, new DebugLogger(false))
    expect(tested.electronFuses).toEqual({
      ...shipped.electronFuses,
      enableNodeCliInspectArguments: true,
    })
    expect(tested.directories.output).toBe('dist-packaged-test')
    const strip = ({ electronFuses: _f, directories: _d, extends: _e, ...rest }: Config) => rest
    expect(strip(tested)).toEqual(strip(shipped))
  })
})
