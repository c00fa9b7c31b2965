/** FACS: the AU catalogue and the one tokenizer every dataset sheet goes through. */
export { AU_CATALOGUE, auInfo, isKnownAu, auDisplayName } from './au-catalogue'
export type { AuInfo, AuKind, FacialRegion } from './au-catalogue'
export { parseAuCell, formatAuLabel, formatAuCell } from './au-tokenizer'
export type {
  AuIntensity,
  AuLabel,
  AuParseResult,
  AuSide,
  AuTokenError,
  AuTokenErrorCode,
} from './au-tokenizer'
export { AU_KEY_ORDER, STARTER_AUS, addAusToKeyMap, auOfKey, bindAuKey, keyOfSlot } from './au-keys'
export type { AuKeyEntry, AuKeyMap } from './au-keys'
