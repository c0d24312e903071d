/**
 * The layers of the backend, enforced on every `npm run lint` (modelled on
 * Sairyss/domain-driven-hexagon's .dependency-cruiser.js). Dependencies point down, never up:
 *
 *   functions/                         entry points: one file per function
 *   shared/http/, shared/routes.ts     platform adapters, middy stack, route table
 *   shared/wiring/                     the composition root: builds vendor ports, hands them to the domain
 *   domain: every other folder or file in shared/ (auth, admin, media, payments, quota, tasks, ops,
 *           users.ts, and any new area)
 *   shared/vendors/ | shared/db/       vendor clients | the database (side by side, unaware of each other)
 *   shared/logger.ts, errors.ts, deadline.ts, shared/config/    leaf utilities and settings
 *
 * infra/sandbox/ plays the vendors and never shares their code. test/, scripts/ and the rest of
 * infra/ may import anything. Patterns match a path anywhere (`(^|/)shared/vendors/`), so the same
 * rules hold for the fixture tree of test/unit/layers.test.ts (test/fixtures/layers/).
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */

const functionsLayer = '(^|/)functions/';
const httpLayer = ['(^|/)shared/http/', '(^|/)shared/routes\\.ts$'];
const wiringLayer = '(^|/)shared/wiring/';
const vendorsLayer = '(^|/)shared/vendors/';
const dbLayer = '(^|/)shared/db/';
const configLayer = '(^|/)shared/config/';
const leafUtilities = '(^|/)shared/(logger|errors|deadline)\\.ts$';
const anyShared = '(^|/)shared/';
const notNodeModules = '(^|/)node_modules/';
/** Everything in shared/ that is not in one of the named layers is domain code. */
const domainLayer = { path: anyShared, pathNot: [...httpLayer, wiringLayer, vendorsLayer, dbLayer, configLayer, leafUtilities, notNodeModules] };

module.exports = {
  forbidden: [
    {
      name: 'no-http-to-functions-deps',
      comment:
        'shared/http and the route table serve the functions; a function is an entry point that nothing ' +
        'imports, so the platform layer must not reach back into one (each function would drag in another).',
      severity: 'error',
      from: { path: httpLayer },
      to: { path: functionsLayer },
    },
    {
      name: 'no-domain-to-http-deps',
      comment:
        'Domain code knows nothing of events, requests, middy or routes: it is called by the HTTP layer ' +
        'and by timers alike. Move what the domain needs out of shared/http (errors to shared/errors.ts).',
      severity: 'error',
      from: domainLayer,
      to: { path: httpLayer },
    },
    {
      name: 'no-domain-to-functions-deps',
      comment: 'functions/ are the entry points on top of everything; shared code never imports one.',
      severity: 'error',
      from: domainLayer,
      to: { path: functionsLayer },
    },
    {
      name: 'no-domain-to-wiring-deps',
      comment:
        'Domain code is handed its vendor ports (dependency inversion) so its branches run against ' +
        'in-memory fakes; reaching up into the composition root for a built client would undo that.',
      severity: 'error',
      from: domainLayer,
      to: { path: wiringLayer },
    },
    {
      name: 'no-wiring-to-upper-deps',
      comment: 'The composition root builds ports for the functions; it must not depend on a function or the HTTP layer.',
      severity: 'error',
      from: { path: wiringLayer },
      to: { path: [...httpLayer, functionsLayer] },
    },
    {
      name: 'no-vendors-to-domain-deps',
      comment:
        'Vendor adapters speak a vendor\'s wire format behind a small interface and know none of our rules ' +
        '(orders, quota, tasks). Put the types they share with the domain in shared/vendors/ and let ' +
        'the domain import them.',
      severity: 'error',
      from: { path: vendorsLayer },
      to: domainLayer,
    },
    {
      name: 'no-vendors-to-http-deps',
      comment: 'Vendor adapters sit below the domain, so far below the HTTP layer and the functions.',
      severity: 'error',
      from: { path: vendorsLayer },
      to: { path: [...httpLayer, wiringLayer, functionsLayer] },
    },
    {
      name: 'no-db-to-domain-deps',
      comment:
        'shared/db is the pool, transactions and migrations: the domain builds its queries on it, so the ' +
        'database layer must not import domain code back.',
      severity: 'error',
      from: { path: dbLayer },
      to: domainLayer,
    },
    {
      name: 'no-db-to-http-deps',
      comment: 'The database layer sits below the domain, so far below the HTTP layer and the functions.',
      severity: 'error',
      from: { path: dbLayer },
      to: { path: [...httpLayer, wiringLayer, functionsLayer] },
    },
    {
      name: 'no-vendors-to-db-deps',
      comment:
        'A vendor adapter talks to its vendor only; what gets stored is the domain\'s decision. Keeping ' +
        'vendors and db apart lets each be bundled and tested without the other.',
      severity: 'error',
      from: { path: vendorsLayer },
      to: { path: dbLayer },
    },
    {
      name: 'no-db-to-vendors-deps',
      comment: 'The database layer knows no vendor; the domain joins the two.',
      severity: 'error',
      from: { path: dbLayer },
      to: { path: vendorsLayer },
    },
    {
      name: 'no-config-to-upper-deps',
      comment:
        'Settings are parsed at cold start by everything else, so shared/config imports nothing in ' +
        'shared/ but itself (not even the logger, which reads LOG_LEVEL from it).',
      severity: 'error',
      from: { path: configLayer },
      to: { path: [anyShared, functionsLayer], pathNot: [configLayer, notNodeModules] },
    },
    {
      name: 'no-leaf-to-upper-deps',
      comment:
        'logger.ts, errors.ts and deadline.ts are imported from every layer, so they may import only ' +
        'settings and each other; anything more would pull a layer into all of them (and make cycles).',
      severity: 'error',
      from: { path: leafUtilities },
      to: { path: [anyShared, functionsLayer], pathNot: [configLayer, leafUtilities, notNodeModules] },
    },
    {
      name: 'no-responses-in-functions',
      comment:
        'Response schemas (shared/**/responses.ts) describe answers for the OpenAPI document and the tests ' +
        '(infra/openapi/, test/helpers/conformance.ts); a function or shared code importing one would put ' +
        'them in a bundle\'s cold start for nothing. Only another responses.ts may build on one.',
      severity: 'error',
      from: { path: [functionsLayer, anyShared], pathNot: '(^|/)responses\\.ts$' },
      to: { path: ['(^|/)shared/responses\\.ts$', '(^|/)shared/[^/]+/responses\\.ts$'] },
    },
    {
      name: 'no-client-to-backend-deps',
      comment:
        'client/ is the typed API client a browser app bundles: it is generated from the OpenAPI document ' +
        'and must not pull backend code (or its dependencies) into the app.',
      severity: 'error',
      from: { path: '(^|/)client/' },
      to: { path: [anyShared, functionsLayer, '(^|/)infra/'], pathNot: notNodeModules },
    },
    {
      name: 'no-sandbox-to-shared-deps',
      comment:
        'infra/sandbox plays the real vendors. If it shared code with our vendor clients (signing, ' +
        'parsing, keys), a bug in that code would be on both sides of the wire and every test would pass.',
      severity: 'error',
      from: { path: '(^|/)infra/sandbox/' },
      to: { path: [anyShared, functionsLayer], pathNot: notNodeModules },
    },
    {
      name: 'no-app-to-backend-deps',
      comment:
        'app/ is the H5 client, built for the browser and hosted apart from the API: it talks to the ' +
        'backend over HTTP only (app/src/api.ts), never by importing its code (server code, settings, secrets).',
      severity: 'error',
      from: { path: '(^|/)app/' },
      to: { path: [anyShared, functionsLayer, '(^|/)infra/', '(^|/)scripts/'], pathNot: notNodeModules },
    },
    {
      name: 'no-circular',
      comment:
        'This dependency is part of a circular relationship. A cycle makes load order decide what is ' +
        'undefined at import time and ties the modules into one; break it with a smaller module both ' +
        'import, or by passing the dependency in (dependency inversion).',
      severity: 'error',
      from: { path: ['(^|/)shared/', functionsLayer], pathNot: notNodeModules },
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      comment:
        'Two folders of shared/ that import each other (media → tasks → media) are one area in two places, ' +
        'even when no single module cycle exists: neither can be understood, bundled or replaced alone. ' +
        'Move what both need into one of them or below both. (Files directly in shared/, such as ' +
        'users.ts, count as the shared/ folder itself, which this check cannot see: keep them acyclic by hand.)',
      severity: 'error',
      scope: 'folder',
      from: { path: ['(^|/)shared/', functionsLayer], pathNot: notNodeModules },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    /* Also type-only imports (`import type`), which TypeScript erases: a type is a dependency too. */
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
