// Which room of src/ may import which (docs/architecture.md draws the same map; test/architecture.test.ts checks
// that the code keeps to it and that the doc's table says what this file says). Data flows one way:
// read -> parse -> normalise -> evaluate -> report, with the CLI on top and the model on the ground floor.
/** Room -> the rooms it may import (besides itself). */
const LAYERS = {
  model: [],
  codecs: ['model'],
  parsers: ['model', 'codecs'],
  admx: ['model', 'codecs'],
  normalise: ['model', 'admx'],
  pipeline: ['model', 'codecs', 'parsers', 'admx', 'normalise'],
  rules: ['model'],
  engine: ['model', 'rules'],
  config: ['model', 'rules'],
  policy: ['model'],
  ldap: ['model'],
  history: ['model'],
  preflight: [],
  audit: ['model', 'rules', 'engine', 'config', 'admx', 'pipeline', 'ldap', 'history', 'policy'],
  reporters: ['model', 'rules', 'policy', 'audit'],
  cli: ['model', 'rules', 'engine', 'config', 'admx', 'pipeline', 'ldap', 'history', 'preflight', 'policy', 'audit', 'reporters'],
};

const layerRules = Object.entries(LAYERS).map(([room, allowed]) => ({
  name: `layer-${room}`,
  comment: `src/${room} may import only ${allowed.length ? allowed.map((r) => `src/${r}`).join(', ') : 'node and packages'} (docs/architecture.md)`,
  severity: 'error',
  from: { path: `^src/${room}/` },
  to: { path: '^src/', pathNot: [`^src/(${[room, ...allowed].join('|')})/`] },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      comment: 'No file imports itself through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'only-the-public-api-at-the-top',
      comment: 'src/index.ts is the library surface: nothing inside src/ imports it.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'no-room-outside-the-map',
      comment: 'Every folder of src/ is a room of the map above; a new folder gets a line there first.',
      severity: 'error',
      from: { path: '^src/', pathNot: [`^src/(${Object.keys(LAYERS).join('|')})/`, '^src/index\\.ts$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    includeOnly: '^src/',
  },
};

// For test/architecture.test.ts; not enumerable, so dependency-cruiser's own schema does not see it.
Object.defineProperty(module.exports, 'LAYERS', { value: LAYERS, enumerable: false });
