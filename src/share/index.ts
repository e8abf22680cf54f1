// Sharing a report: permalinks in the URL fragment and the JSON, Markdown and
// SARIF exports. Pure: runs in the page, the worker and Node alike.

export {
  linkKind,
  decodePermalink,
  encodePermalink,
  omittedLines,
  permalinkFragment,
  JSON_BUDGET,
  JSON_CAP,
  HARD_CAP,
  LINK_VERSION,
  MAX_FRAGMENT,
  MAX_INFLATED,
  URL_TARGET,
  TABLE_WORDS,
  type DecodeResult,
  type EncodeOptions,
  type OmittedInfo,
  type OmittedTable,
  type Permalink,
  type SharedReport,
  type SharedTable,
  type TableCut,
  type TableCuts,
} from './permalink.ts';
export { toJson } from './json.ts';
export { mdBlock, mdCode, mdText, toMarkdown } from './markdown.ts';
export { sarifLog, toSarif, SARIF_SCHEMA, SARIF_VERSION, type SarifLog, type SarifOptions } from './sarif.ts';
export { decodeDiffLink, diffOmittedLines, encodeDiffLink, type DiffPermalink, type SharedDiff } from './diffLink.ts';
export { diffToMarkdown } from './diffMarkdown.ts';
