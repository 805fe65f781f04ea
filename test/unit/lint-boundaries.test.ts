/**
 * The lint step is what keeps the import arrows pointing inward (issue 11): a
 * file under core/ that imports from adapters/ must fail it. Runs ESLint's Node
 * API with the project's own eslint.config.mjs on files that exist only in
 * memory, so the rule is tested, not the tree.
 *
 * The config is required here (jest compiles the .mjs to CommonJS) and passed
 * as an object: ESLint would load the file with a dynamic import(), which
 * jest's CommonJS sandbox refuses without --experimental-vm-modules. A
 * require() because the .mjs has no type declarations for an import.
 */
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';

const config = (require('../../eslint.config.mjs') as { default: Linter.Config[] }).default;

const ROOT = path.resolve(__dirname, '../..');

const eslint = new ESLint({
  cwd: ROOT,
  overrideConfigFile: true,
  overrideConfig: config,
});

/** The rule ids of the errors ESLint reports for `code` as if it were the file at `file` (relative to the root). */
async function errorsFor(file: string, code: string): Promise<Array<{ ruleId: string | null; message: string }>> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.severity === 2).map((m) => ({ ruleId: m.ruleId, message: m.message }));
}

describe('import boundaries (eslint.config.mjs)', () => {
  it('fails a file under core/ that imports from adapters/', async () => {
    const errors = await errorsFor(
      'core/export/boundary-probe.ts',
      "import { createFileStore } from '../../adapters/file-store';\nexport const open = createFileStore;\n",
    );
    expect(errors).toEqual([
      expect.objectContaining({ ruleId: '@typescript-eslint/no-restricted-imports', message: expect.stringContaining('core/ is pure') }),
    ]);
  });

  it('fails a type-only import and a dynamic import() from core/ too', async () => {
    const errors = await errorsFor(
      'core/boundary-probe.ts',
      "import type { Store } from '../services/service';\nexport type S = Store;\nexport const load = () => import('../workers/queues');\n",
    );
    expect(errors.map((e) => e.ruleId).sort()).toEqual(['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax']);
  });

  it('passes a core/ file that imports only core/ and pure packages', async () => {
    const errors = await errorsFor(
      'core/export/boundary-probe.ts',
      "import { z } from 'zod';\nimport type { ApplicationView } from '../ports/store';\nexport const id = (a: ApplicationView) => z.string().parse(a.id);\n",
    );
    expect(errors).toEqual([]);
  });

  it('fails an adapter that imports from workers/, and passes one that imports the port', async () => {
    expect(await errorsFor('adapters/boundary-probe.ts', "import type { ReplyRate } from '../workers/stage-context';\nexport type R = ReplyRate;\n")).toEqual([
      expect.objectContaining({ ruleId: '@typescript-eslint/no-restricted-imports', message: expect.stringContaining('adapters/') }),
    ]);
    expect(await errorsFor('adapters/boundary-probe.ts', "import type { ReplyRate } from '../core/ports/reply-rate';\nexport type R = ReplyRate;\n")).toEqual([]);
  });
});
