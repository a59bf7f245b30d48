// The layers of the house, checked in `npm test` (`npm run deps`). From the bottom up:
//   src/domain                pure rules and vocabulary; zod only in src/domain/schemas
//   workflows/<process>       contract.ts (importable from anywhere), the workflow, its state
//   activities/<process>      the side effects of each process
//   src/store, src/notify     the database and email
//   src/api, src/temporal     the wiring: HTTP, the worker, the cluster
//   src/web                   the web app, which reaches the rest only through the HTTP API
// A type-only import carries no code, so workflows may name their activities' and emails' types.
const TYPE_ONLY = ['type-only'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles anywhere, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'The domain depends on nothing of the service: workflows and the API both build on it.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^(src|workflows|activities|scripts|test)/', pathNot: '^src/domain/' },
    },
    {
      name: 'workflows-are-deterministic',
      comment:
        'Workflow code imports only @temporalio/workflow, its own process, the shared workflow helpers and the pure domain.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: {
        dependencyTypesNot: TYPE_ONLY,
        pathNot: '^(workflows/|src/domain/|node_modules/@temporalio/workflow/)',
      },
    },
    {
      name: 'workflows-take-no-schemas',
      comment: 'zod stays out of the workflow bundle: schemas live in src/domain/schemas, apart.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: {
        dependencyTypesNot: TYPE_ONLY,
        path: '^src/domain/(schemas/|policy\\.ts$|principal\\.ts$|currencyCode\\.ts$)',
      },
    },
    {
      name: 'contracts-not-implementations',
      comment:
        'Outside workflows/, a process is reached through its contract.ts, never its workflow code (tests of that code aside).',
      severity: 'error',
      from: { path: '^(src|activities|scripts)/' },
      to: { path: '^workflows/', pathNot: '^workflows/[^/]+/contract\\.ts$' },
    },
    {
      name: 'activities-below-the-wiring',
      comment: 'Activities are called by workflows; they never reach into the HTTP API or the worker wiring.',
      severity: 'error',
      from: { path: '^activities/' },
      to: { path: '^src/(api|temporal|web|cli)/' },
    },
    {
      name: 'store-and-email-below-the-wiring',
      comment: 'The store and email know nothing of the API, the activities or the cluster.',
      severity: 'error',
      from: { path: '^src/(store|notify)/' },
      to: { path: '^(activities/|src/(api|temporal|web|cli)/)' },
    },
    {
      name: 'web-app-through-the-api',
      comment: 'The web app reaches the service only over HTTP (its types are generated from the OpenAPI document).',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: '^(src/(?!web/)|workflows/|activities/|scripts/|test/)' },
    },
    {
      name: 'nothing-imports-the-web-app',
      comment: 'The server serves the built app from dist/web; no server code imports its sources.',
      severity: 'error',
      from: { path: '^(src/(?!web/)|workflows/|activities/)' },
      to: { path: '^src/web/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|tools|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
