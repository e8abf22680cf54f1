// ARCHITECTURE.md's "may not" column as import rules (test/architecture.test.ts runs them; `npx depcruise src`
// prints the same). One tsconfig gives every folder DOM and Node types, so the compiler cannot keep the rooms apart.
// Tests (*.test.ts) may reach across rooms; the rules are about the code that ships.
const NOT_TEST = '\\.test\\.ts$';
const NODE = { dependencyTypes: ['core'] };

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Modules import downward only: a cycle makes two modules one.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'parsers-are-pure',
      comment: 'src/parsers: bytes in, typed data out. No worker, page, CLI, Svelte or Node; nothing above them but the report contract.',
      severity: 'error',
      from: { path: '^src/parsers/', pathNot: NOT_TEST },
      to: {
        path: [
          '^src/(arm64|verdict|share|workers|ui|cli|engine)/',
          '^src/report/(?!types\\.ts$|targets\\.ts$)',
          '^node_modules/(svelte|comlink|idb-keyval|virtua)/',
        ],
      },
    },
    {
      name: 'report-contract-is-a-leaf',
      comment: 'src/report/types.ts and targets.ts are the contract everything shares: they import nothing but each other.',
      severity: 'error',
      from: { path: '^src/report/(types|targets)\\.ts$' },
      to: { pathNot: '^src/report/(types|targets)\\.ts$' },
    },
    {
      name: 'verdict-reads-no-bytes',
      comment: 'src/verdict works from the report and the parse values handed in beside it (types it declares itself).',
      severity: 'error',
      from: { path: '^src/verdict/', pathNot: NOT_TEST },
      to: { path: ['^src/(parsers|arm64|engine|workers|ui|cli|share|units|size)/', '^src/report/(pipeline|signatures)\\.ts$'] },
    },
    {
      name: 'units-are-pure',
      comment:
        'src/units: archives, images and folders judged as a whole, from bytes and entries handed in (a folder as a list of entries). No page, worker, CLI, Svelte or Node.',
      severity: 'error',
      from: { path: '^src/units/', pathNot: NOT_TEST },
      to: { path: ['^src/(ui|workers|cli|engine|share|size)/', '^node_modules/(svelte|comlink|idb-keyval|virtua)/'] },
    },
    {
      name: 'demangle-is-names',
      comment:
        'src/demangle turns a name into text: it imports nothing of binlens but itself (its wasm modules and gecko-profiler-demangle).',
      severity: 'error',
      from: { path: '^src/demangle/', pathNot: NOT_TEST },
      to: { path: '^src/(?!demangle/)' },
    },
    {
      name: 'size-is-data',
      comment:
        'src/size: the size map, built from what the parsers hand up (the typed image, symbols, Go functions) and the report. No verdicts, units, page, worker, CLI or Node; of the demangler only names.ts (which scheme a name uses), callers pass the demangling function.',
      severity: 'error',
      from: { path: '^src/size/', pathNot: NOT_TEST },
      to: {
        path: [
          '^src/(ui|workers|cli|engine|share|units|verdict)/',
          '^src/demangle/(?!names\\.ts$)',
          '^node_modules/(svelte|comlink|idb-keyval|virtua)/',
        ],
      },
    },
    {
      name: 'diff-is-data',
      comment:
        'src/diff: the diff of two builds from their reports and what the parsers hand up; the engine and the demangler are passed in. No page, worker, CLI, units or Node.',
      severity: 'error',
      from: { path: '^src/diff/', pathNot: NOT_TEST },
      to: {
        path: ['^src/(ui|workers|cli|units)/', '^src/demangle/(?!names\\.ts$)', '^node_modules/(svelte|comlink|idb-keyval|virtua)/'],
      },
    },
    {
      name: 'text-is-words',
      comment: 'src/text: English wording shared by parsers, verdicts and the page; no DOM, worker or Node.',
      severity: 'error',
      from: { path: '^src/text/', pathNot: NOT_TEST },
      to: { path: ['^src/(?!text/)', '^node_modules/'] },
    },
    {
      name: 'workers-do-not-render',
      severity: 'error',
      from: { path: '^src/workers/' },
      to: { path: ['^src/ui/', '^src/App\\.svelte$', '\\.svelte$', '^node_modules/svelte/'] },
    },
    {
      name: 'ui-does-not-parse',
      comment: 'The page reads reports and pages of rows; the worker parses. Types may cross, code may not.',
      severity: 'error',
      from: { path: '^src/(ui/|App\\.svelte$|main\\.ts$)', pathNot: NOT_TEST },
      to: {
        path: [
          '^src/(parsers|arm64|engine|verdict|cli|units)/',
          '^src/report/(pipeline|signatures)\\.ts$',
          '^src/workers/(?!client\\.ts$)',
          '^src/demangle/(?!names\\.ts$)',
        ],
        // The listing's numbering is pure; the scheme of a name (names.ts) decides which names the page asks the worker
        // to demangle; signature.ts, notarization.ts and entitlements.ts word a report's signature facts for the page and
        // the CLI alike (functions of the report, no bytes).
        pathNot: ['^src/arm64/listingIndex\\.ts$', '^src/engine/build/', '^src/verdict/(signature|notarization|entitlements)\\.ts$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'ui-talks-to-the-worker-through-its-client',
      severity: 'error',
      from: { path: '^src/(ui/|App\\.svelte$|main\\.ts$)' },
      to: { path: '^src/workers/(?!client\\.ts$)' },
    },
    {
      name: 'only-the-cli-and-tools-use-node',
      comment: 'Node APIs belong to the CLI, the Node loaders of the engine and the demangler, and tests.',
      severity: 'error',
      from: { path: '^src/(?!cli/|engine/tools/|arm64/node\\.ts$|demangle/node\\.ts$)', pathNot: NOT_TEST },
      to: NODE,
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^src/engine/build/', '\\?(url|worker)'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.svelte'] },
  },
};
