import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint()

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result.messages
    .filter((m) => m.ruleId === 'layering/allowed-imports')
    .map((m) => m.message)
}

describe('the layering rule', () => {
  it('fails a file under src/engine that imports electron', async () => {
    const errors = await layeringErrors(
      'src/engine/db/bad.ts',
      "import { app } from 'electron'\nexport const x = app\n",
    )
    expect(errors).toEqual(["'engine' may not import electron: only main and preload may"])
  })

  it('fails shared importing engine code or Node built-ins', async () => {
    expect(
      await layeringErrors(
        'src/shared/bad.ts',
        "import { openLibrary } from '../engine/db/open-library'\nexport const x = openLibrary\n",
      ),
    ).toHaveLength(1)
    expect(
      await layeringErrors('src/shared/bad.ts', "import fs from 'node:fs'\nexport const x = fs\n"),
    ).toEqual(["'shared' may not import the Node built-in 'node:fs'"])
  })

  it('fails the renderer importing the engine or the server', async () => {
    const errors = await layeringErrors(
      'src/renderer/src/bad.ts',
      "import { createEngine } from '../../engine/api/engine'\nexport const x = createEngine\n",
    )
    expect(errors[0]).toContain("'renderer' may not import from 'engine'")
  })

  it('allows what the architecture allows', async () => {
    expect(
      await layeringErrors(
        'src/main/ok.ts',
        "import { app } from 'electron'\nimport { createEngine } from '../engine/api/engine'\nexport const x = [app, createEngine]\n",
      ),
    ).toEqual([])
    expect(
      await layeringErrors(
        'src/cli/ok.ts',
        "import { startBrowserServer } from '../server/server'\nexport const x = startBrowserServer\n",
      ),
    ).toEqual([])
  })
})
